import localFont from "next/font/local";

/**
 * Geist for the operator pages, imported by their frame only (app/portal-frame.tsx): the recipient
 * page (/p/<token>) uses the phone's system font and gets neither these declarations nor a preload.
 */
export const geistSans = localFont({
  src: "../node_modules/geist/dist/fonts/geist-sans/Geist-Variable.woff2",
  variable: "--font-geist-sans",
  weight: "100 900",
});

export const geistMono = localFont({
  src: "../node_modules/geist/dist/fonts/geist-mono/GeistMono-Variable.woff2",
  variable: "--font-geist-mono",
  adjustFontFallback: false,
  fallback: ["ui-monospace", "SFMono-Regular", "Roboto Mono", "Menlo", "Monaco", "Liberation Mono", "DejaVu Sans Mono", "Courier New", "monospace"],
  weight: "100 900",
  // Only codes, keys and hashes use it (the audit log, a payout's timeline): fetched when a page shows one.
  preload: false,
});
