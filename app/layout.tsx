import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type { ReactNode } from "react";

export const metadata: Metadata = {
  title: { default: "Выплаты · Банк 131", template: "%s · Выплаты Банк 131" },
  description: "Партнёрский портал выплат через Банк 131",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

/**
 * Every page's document, and nothing else: stylesheets, fonts and client providers belong to the
 * operator pages' frame (app/portal-frame.tsx) and the recipient page's layout (app/p/layout.tsx),
 * so neither page loads the other's.
 */
export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts need this response's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="ru">
      <body>{children}</body>
    </html>
  );
}
