import localFont from "next/font/local";

/**
 * Geist for the operator portal, declared here rather than taken from `geist/font/*` so it is not
 * preloaded on every page: the recipient page (/p/<token>) uses the phone's system font, and a
 * preloaded web font there would only compete with the page itself on a slow mobile connection.
 * Portal pages still get Geist as soon as their CSS asks for it (font-display: swap).
 */
export const geistSans = localFont({
  src: "../node_modules/geist/dist/fonts/geist-sans/Geist-Variable.woff2",
  variable: "--font-geist-sans",
  weight: "100 900",
  preload: false,
});

export const geistMono = localFont({
  src: "../node_modules/geist/dist/fonts/geist-mono/GeistMono-Variable.woff2",
  variable: "--font-geist-mono",
  adjustFontFallback: false,
  fallback: ["ui-monospace", "SFMono-Regular", "Roboto Mono", "Menlo", "Monaco", "Liberation Mono", "DejaVu Sans Mono", "Courier New", "monospace"],
  weight: "100 900",
  preload: false,
});
