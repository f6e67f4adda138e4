import type { Page } from "@playwright/test";

const SCRIPTS = "**/_next/static/**/*.js";

/**
 * Holds the page's own scripts until `release()`: the server-rendered page is on screen and usable by a
 * person, React is not there yet (a slow phone or connection). Call before `page.goto(…, { waitUntil: "commit" })`.
 */
export async function holdScripts(page: Page): Promise<{ held: () => number; release: () => Promise<void> }> {
  const held: Array<() => Promise<void>> = [];
  await page.route(SCRIPTS, (route) => {
    // A request the page no longer waits for (a navigation cancelled it) has nothing to continue.
    held.push(() => route.continue().catch(() => undefined));
  });
  return {
    held: () => held.length,
    release: async () => {
      await page.unroute(SCRIPTS);
      for (const next of held.splice(0)) await next();
    },
  };
}
