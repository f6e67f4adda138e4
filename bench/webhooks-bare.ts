/**
 * The bare `node:http` server of `npm run bench:webhooks`: bench/webhooks-bare-handler.ts with no framework.
 *
 *   tsx bench/webhooks-bare.ts <database url> <bank public key file> <port>
 */
import http from "node:http";
import { bareWebhookHandler } from "./webhooks-bare-handler";

const [url, publicKeyFile, port] = process.argv.slice(2);
if (!url || !publicKeyFile || !port) throw new Error("usage: webhooks-bare.ts <database url> <bank public key file> <port>");
const { handle, close } = bareWebhookHandler(url, publicKeyFile);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    const signature = request.headers["x-partner-sign"];
    handle(Buffer.concat(chunks), Array.isArray(signature) ? undefined : signature).then(
      (status) => response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ status: status === 200 ? "ok" : "rejected" })),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(port), "127.0.0.1", () => console.log(`bare handler on ${port}`));
process.on("SIGTERM", () => server.close(() => void close().then(() => process.exit(0))));
