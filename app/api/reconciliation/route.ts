import { route } from "@/lib/http/route";
import { lastReconciliation, recentReconciliations } from "@/lib/payouts/list";
import { getPortal } from "@/lib/server/portal";

export const dynamic = "force-dynamic";

const RECENT_RUNS = 10;

/** The last reconciliation run with its findings, and the recent runs (newest first). */
export const GET = route({ auth: "view" }, async () => {
  const portal = await getPortal();
  const [last, recent] = await Promise.all([lastReconciliation(portal.prisma), recentReconciliations(portal.prisma, RECENT_RUNS)]);
  return { last, recent };
});
