import type { ReactNode } from "react";
import { geistMono, geistSans } from "./fonts";
import "./globals.css";
import { Providers } from "./providers";

/**
 * The operator pages' frame (dashboard, login, set-password layouts): the portal's stylesheet, its
 * Geist fonts and the client providers. The recipient page (/p/<token>) has none of them.
 */
export function PortalFrame({ children }: { children: ReactNode }) {
  return (
    <div className={`${geistSans.variable} ${geistMono.variable} min-h-dvh font-sans`}>
      <Providers>{children}</Providers>
    </div>
  );
}
