"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { PAYOUT_STATUSES, type PayoutStatus } from "@/lib/payouts/state-machine";
import { DEFAULT_PARAMS, toSearchParams, type DashboardParams } from "./api";

const SORTS = ["createdAt", "amount", "updatedAt"] as const;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DIGITS_RE = /^\d{1,15}$/;

/** Reads the URL leniently: an unknown value falls back to the default instead of breaking the page. */
function readParams(search: URLSearchParams): DashboardParams {
  const get = (key: string) => search.get(key)?.trim() ?? "";
  const status = get("status");
  const sort = get("sort");
  return {
    status: (PAYOUT_STATUSES as readonly string[]).includes(status) ? (status as PayoutStatus) : "all",
    from: DAY_RE.test(get("from")) ? get("from") : "",
    to: DAY_RE.test(get("to")) ? get("to") : "",
    minKopecks: DIGITS_RE.test(get("minKopecks")) ? get("minKopecks") : "",
    maxKopecks: DIGITS_RE.test(get("maxKopecks")) ? get("maxKopecks") : "",
    method: get("method"),
    source: get("source"),
    q: (search.get("q") ?? "").slice(0, 200),
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as DashboardParams["sort"]) : DEFAULT_PARAMS.sort,
    dir: get("dir") === "asc" ? "asc" : "desc",
  };
}

/** Filters live in the URL: shareable, and the back button walks through them. */
export function useDashboardParams() {
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const params = useMemo(() => readParams(new URLSearchParams(search.toString())), [search]);

  const update = useCallback(
    (patch: Partial<DashboardParams>, options: { replace?: boolean } = {}) => {
      const next = toSearchParams({ ...params, ...patch }).toString();
      const url = next ? `${pathname}?${next}` : pathname;
      if (options.replace) router.replace(url, { scroll: false });
      else router.push(url, { scroll: false });
    },
    [params, pathname, router],
  );

  const reset = useCallback(() => router.push(pathname, { scroll: false }), [pathname, router]);

  const hasFilters = params.from !== "" || params.to !== "" || params.minKopecks !== "" || params.maxKopecks !== "" || params.method !== "" || params.source !== "" || params.q.trim() !== "";

  return { params, update, reset, hasFilters };
}
