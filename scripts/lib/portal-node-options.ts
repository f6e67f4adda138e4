/**
 * The V8 settings the portal's production server runs with (`npm start`, `npm run demo`, the e2e
 * server, `npm run bench:webhooks`). Without a limit V8 grows the old generation to 250+ MB under
 * webhook load while only ~80 MB of it is live, because requests waiting on the database survive
 * young-generation collections; with one it collects earlier and the server stays near 250 MB.
 * 192 MB is over twice the live heap with every route loaded (~90 MB); the smaller semi-space
 * (8 MB instead of 16) saves 17 MB at no measured CPU cost. README → Performance → memory.
 */
export const PORTAL_NODE_OPTIONS = "--max-old-space-size=192 --max-semi-space-size=8";

/** The portal's options, then whatever the caller set (a later flag wins, so an override still works). */
export function portalNodeOptions(inherited: string | undefined): string {
  return [PORTAL_NODE_OPTIONS, inherited?.trim()].filter(Boolean).join(" ");
}
