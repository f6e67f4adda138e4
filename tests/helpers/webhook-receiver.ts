import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { Socket } from "node:net";

/**
 * A real node:http endpoint that records webhook deliveries exactly as received (raw bytes + headers) and
 * answers with chosen status codes. Tests await the Nth delivery or a matching one; no sleeps.
 *
 *   const receiver = await startWebhookReceiver();
 *   receiver.respondWith(500, 500);            // next two deliveries get 500, then the default (200)
 *   const third = await receiver.waitFor(3);   // resolves when the 3rd delivery has arrived
 */

export type Answer = number | "hang";

export interface ReceivedWebhook {
  /** 1-based arrival number. */
  index: number;
  receivedAt: number;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests inspect arbitrary JSON
  json: any;
  signature: string | undefined;
  answeredWith: Answer;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Queue answers for the next deliveries, in order; after the queue the default applies. */
  respondWith(...answers: Answer[]): void;
  setDefault(answer: Answer): void;
  /** Decide per delivery (takes precedence over the queue and the default). */
  setHandler(handler: ((webhook: ReceivedWebhook) => Answer) | null): void;
  /** Resolves with the Nth (1-based) delivery once it has arrived. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook>;
  /** Resolves with the first delivery (already received or future) matching the predicate. */
  waitForMatch(predicate: (webhook: ReceivedWebhook) => boolean, timeoutMs?: number): Promise<ReceivedWebhook>;
  /** Deliveries for one session, in arrival order. */
  forSession(sessionId: string): ReceivedWebhook[];
  clear(): void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(options: { path?: string; defaultAnswer?: Answer } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const queue: Answer[] = [];
  let defaultAnswer: Answer = options.defaultAnswer ?? 200;
  let handler: ((webhook: ReceivedWebhook) => Answer) | null = null;
  const waiters = new Set<() => void>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  const route = options.path ?? "/webhooks/bank131";

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const text = raw.toString("utf8");
      let json: unknown = undefined;
      try {
        json = JSON.parse(text);
      } catch {
        // recorded as text only
      }
      const signature = req.headers["x-partner-sign"];
      const webhook: ReceivedWebhook = {
        index: received.length + 1,
        receivedAt: Date.now(),
        method: req.method ?? "",
        path: req.url ?? "",
        headers: req.headers,
        raw,
        text,
        json,
        signature: Array.isArray(signature) ? signature[0] : signature,
        answeredWith: 200,
      };
      const answer = handler ? handler(webhook) : (queue.shift() ?? defaultAnswer);
      webhook.answeredWith = answer;
      received.push(webhook);
      for (const wake of [...waiters]) wake();
      if (answer === "hang") {
        hanging.add(res);
        return;
      }
      res.writeHead(answer, { "Content-Type": "application/json" });
      res.end(answer === 200 ? '{"status":"ok"}' : '{"status":"error"}');
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;

  function waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    const found = probe();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value === undefined) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`webhook receiver: timed out waiting for ${what}; received ${received.length}: ${received.map((w) => w.json?.type).join(", ")}`));
      }, timeoutMs);
      waiters.add(check);
    });
  }

  return {
    url: `http://127.0.0.1:${port}${route}`,
    received,
    respondWith: (...answers) => queue.push(...answers),
    setDefault: (answer) => (defaultAnswer = answer),
    setHandler: (h) => (handler = h),
    waitFor: (n, timeoutMs = 15_000) => waitUntil(() => received[n - 1], timeoutMs, `delivery #${n}`),
    waitForMatch: (predicate, timeoutMs = 15_000) => waitUntil(() => received.find(predicate), timeoutMs, "a matching delivery"),
    forSession: (sessionId) => received.filter((w) => w.json?.session?.id === sessionId),
    clear: () => {
      received.length = 0;
      queue.length = 0;
    },
    close: async () => {
      for (const res of hanging) res.destroy();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
