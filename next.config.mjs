// @ts-check
// JavaScript, not TypeScript: `next start` on Node 20 would load the SWC compiler (23 MB resident and two
// threads, for the life of the server) only to read a next.config.ts.

/** @type {import("next").NextConfig} */
const nextConfig = {
  // A separate build directory lets two test runs on one machine build without clobbering each other.
  distDir: process.env.NEXT_DIST_DIR ?? ".next",
  // Bundled, Turbopack rewrites PGlite's wasm URL and the first query in a server component fails.
  serverExternalPackages: ["pino", "thread-stream", "@electric-sql/pglite", "pglite-prisma-adapter", "@prisma/schema-engine-wasm"],
  outputFileTracingIncludes: { "/**": ["./node_modules/@prisma/schema-engine-wasm/**", "./prisma/migrations/**"] },
  // `npm test` type-checks the whole repo (tests, scripts, sandbox) as its own suite.
  typescript: { ignoreBuildErrors: true },
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          // The portal uses none of these; a page that could (an injected iframe, a widget) may not either.
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), browsing-topics=()" },
        ],
      },
      // Recipient links carry their token in the path: never leak it in a Referer, never index it.
      // (After the rule above: for the same header the later rule wins.) CSP and HSTS: proxy.ts.
      { source: "/p/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }, { key: "X-Robots-Tag", value: "noindex, nofollow" }] },
    ];
  },
};

export default nextConfig;
