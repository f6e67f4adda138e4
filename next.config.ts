import type { NextConfig } from "next";

const nextConfig: NextConfig = {
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
      // Recipient links carry their token in the path: never leak it in a Referer, never index it.
      { source: "/p/:path*", headers: [{ key: "Referrer-Policy", value: "no-referrer" }, { key: "X-Robots-Tag", value: "noindex, nofollow" }] },
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
