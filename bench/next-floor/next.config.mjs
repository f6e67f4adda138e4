// @ts-check
import path from "node:path";

const repository = path.resolve(import.meta.dirname, "../..");

/** @type {import("next").NextConfig} The framework's floor for `npm run bench:webhooks` (see its route). */
const nextConfig = {
  // The route imports bench/webhooks-bare-handler.ts and the repository's node_modules.
  turbopack: { root: repository },
  outputFileTracingRoot: repository,
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
};

export default nextConfig;
