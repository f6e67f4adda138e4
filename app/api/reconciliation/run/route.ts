import { route } from "@/lib/http/route";
import { logger } from "@/lib/logger";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

/**
 * Runs one reconciliation pass now (admins). `{ skipped: true }` when another instance holds the
 * runner lock (its pass is already doing the work). The pass publishes `reconciliation.ran`.
 */
export const POST = route({ auth: "administer" }, async ({ operator }) => {
  const portal = await getPortal();
  logger.info({ operator: operator.id }, "reconciliation run requested");
  const report = await portal.reconciliation.runNow();
  if (!report) return { skipped: true };
  return { skipped: false, report };
});
