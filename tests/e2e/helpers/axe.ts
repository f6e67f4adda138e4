import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

type AxeResults = Awaited<ReturnType<AxeBuilder["analyze"]>>;
type Violation = AxeResults["violations"][number];

/** The impacts that fail a test; "moderate" and "minor" are left to review. */
const FAILING_IMPACTS = new Set(["serious", "critical"]);

export interface A11yScope {
  /** CSS selector of the part of the page to analyse (a dialog, say); default the whole page. */
  include?: string;
  /**
   * CSS selector of an iframe (the bank's cross-origin card widget) whose document is analysed instead of the
   * page. It is opened on its own in a new tab of the same context: @axe-core/playwright gives each frame one
   * second to take the axe script and silently skips the frames that miss it, which a loaded machine does.
   * Without it, a page is analysed without its frames.
   */
  frame?: string;
}

/** One violation as a person reads it: impact, rule, help link, then each element and what to fix. */
function describe(violation: Violation): string {
  const nodes = violation.nodes.map(
    (node) => `    - ${node.target.join(" >>> ")}\n      ${node.html}\n      ${(node.failureSummary ?? "").replace(/\n/g, "\n      ")}`,
  );
  return `  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes.join("\n")}`;
}

async function expectNoSeriousViolationsOn(page: Page, include: string | undefined, where: string): Promise<void> {
  // Legacy mode runs axe in the page itself instead of gathering results in an extra blank tab (slow on a
  // loaded machine); frames are left out here and checked on their own through `frame`.
  const builder = new AxeBuilder({ page }).setLegacyMode(true).options({ iframes: false });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  const failing = violations.filter((violation) => FAILING_IMPACTS.has(violation.impact ?? ""));
  expect(failing.length, `axe: serious/critical accessibility violations on ${where}:\n${failing.map(describe).join("\n")}`).toBe(0);
}

/**
 * Runs axe-core on what the page shows now (the library injects the script it ships with; no network) and
 * fails on any serious or critical violation, listing each with its elements. Call it once the screen is
 * settled, i.e. after the assertions that prove it is shown.
 */
export async function expectNoSeriousA11yViolations(page: Page, scope: A11yScope = {}): Promise<void> {
  if (!scope.frame) return expectNoSeriousViolationsOn(page, scope.include, page.url() + (scope.include ? ` (${scope.include})` : ""));
  const src = await page.locator(scope.frame).getAttribute("src");
  expect(src, `${scope.frame} has no src`).toBeTruthy();
  const framePage = await page.context().newPage();
  try {
    await framePage.goto(new URL(src!, page.url()).href);
    await expectNoSeriousViolationsOn(framePage, scope.include, `the frame ${scope.frame} (${framePage.url()})`);
  } finally {
    await framePage.close();
  }
}
