import { errorMessage } from "@/lib/i18n/errors";
import { ApiError, apiJson, type ApiRequest } from "@/components/api-client";
import type { ReconcileReport } from "@/lib/payouts/reconcile";
import type { VolumeStats } from "@/lib/payouts/aggregates-cache";
import type { PayoutListResult, PayoutStatusCounts, ReconciliationRunView, VolumeBucket } from "@/lib/payouts/list";
import { DEFAULT_SORT, DEFAULT_SORT_DIRECTION, PAGE_SIZE_DEFAULT, type PayoutSortKey, type SortDirection } from "@/lib/payouts/list-query";
import type { PayoutStatus } from "@/lib/payouts/state-machine";

/**
 * The dashboard's view of the API, and its React Query keys. Every key of list-like data starts
 * with "payouts" so the live-events provider refreshes all of it with one prefix invalidation:
 *
 *   ["payouts", "list", params]    infinite (keyset) list
 *   ["payouts", "counts", params]  tab counts (params without status/sort)
 *   ["payouts", "stats", params]   volume chart (params without sort)
 *   ["payouts", "queue", …]        payouts awaiting approval by bank deadline, with claims and risk signals (all or only flagged)
 *   ["reconciliation"]             last + recent reconciliation runs
 */

export type { PayoutListResult, PayoutStatusCounts, ReconciliationRunView, VolumeBucket };

/** The dashboard's URL parameters; the same names the API takes. */
export interface DashboardParams {
  status: PayoutStatus | "all";
  from: string;
  to: string;
  minKopecks: string;
  maxKopecks: string;
  method: string;
  source: string;
  q: string;
  sort: PayoutSortKey;
  dir: SortDirection;
}

export const FILTER_KEYS = ["status", "from", "to", "minKopecks", "maxKopecks", "method", "source", "q", "sort", "dir"] as const;

export const DEFAULT_PARAMS: DashboardParams = {
  status: "all",
  from: "",
  to: "",
  minKopecks: "",
  maxKopecks: "",
  method: "",
  source: "",
  q: "",
  sort: DEFAULT_SORT,
  dir: DEFAULT_SORT_DIRECTION,
};

/** Only non-default values, in a stable order: short shareable URLs and stable query keys. */
export function toSearchParams(params: Partial<DashboardParams>, omit: ReadonlyArray<keyof DashboardParams> = []): URLSearchParams {
  const search = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    if (omit.includes(key)) continue;
    const value = params[key];
    if (value !== undefined && value !== "" && value !== DEFAULT_PARAMS[key]) search.set(key, value);
  }
  return search;
}

export const queryKeys = {
  list: (params: DashboardParams) => ["payouts", "list", toSearchParams(params).toString()] as const,
  counts: (params: DashboardParams) => ["payouts", "counts", toSearchParams(params, ["status", "sort", "dir"]).toString()] as const,
  stats: (params: DashboardParams) => ["payouts", "stats", toSearchParams(params, ["sort", "dir"]).toString()] as const,
  reconciliation: () => ["reconciliation"] as const,
  queue: (onlyWithSignals = false) => ["payouts", "queue", onlyWithSignals ? "signals" : "all"] as const,
};

/** Dashboard reads and actions; an error's message becomes the catalogue's sentence for its code, shown as is. */
export async function fetchJson<T>(url: string, request?: ApiRequest): Promise<T> {
  try {
    return await apiJson<T>(url, request);
  } catch (error) {
    if (error instanceof ApiError) throw new ApiError(error.status, error.code, errorMessage(error), error.field, error.params);
    throw error;
  }
}

export function listUrl(params: DashboardParams, cursor: string | null): string {
  const search = toSearchParams(params);
  search.set("limit", String(PAGE_SIZE_DEFAULT));
  if (cursor) search.set("cursor", cursor);
  return `/api/payouts?${search}`;
}

export const countsUrl = (params: DashboardParams) => `/api/payouts/counts?${toSearchParams(params, ["status", "sort", "dir"])}`;
export const statsUrl = (params: DashboardParams) => `/api/payouts/stats?${toSearchParams(params, ["sort", "dir"])}`;
export const exportUrl = (params: DashboardParams) => `/api/payouts/export?${toSearchParams(params)}`;

export type StatsResponse = VolumeStats;

export interface ReconciliationResponse {
  last: ReconciliationRunView | null;
  recent: ReconciliationRunView[];
}

export type RunReconciliationResponse = { skipped: true } | { skipped: false; report: ReconcileReport };
