import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { geistMono, geistSans } from "./fonts";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Выплаты · Банк 131", template: "%s · Выплаты Банк 131" },
  description: "Партнёрский портал выплат через Банк 131",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Every page's frame. Client providers (React Query, zod's browser setting) belong to the operator
 * pages' own layouts: the recipient page (/p/<token>) ships none of them.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts need this response's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="ru" className={`${geistSans.variable} ${geistMono.variable}`}>
      <body className="min-h-dvh font-sans">{children}</body>
    </html>
  );
}
