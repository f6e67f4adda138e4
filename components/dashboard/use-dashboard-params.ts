"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo } from "react";
import { isCalendarDay } from "@/lib/format/time";
import { PAYOUT_LIST_PARAM_SCHEMAS, Q_MAX_LENGTH } from "@/lib/payouts/list-query";
import { DEFAULT_PARAMS, FILTER_KEYS, toSearchParams, type DashboardParams } from "./api";

/**
 * Reads the URL leniently with the API's own parameter schemas: a value the API would refuse falls
 * back to the default instead of breaking the page. Dates are calendar days only (the date inputs).
 */
function readParams(search: URLSearchParams): DashboardParams {
  const params = { ...DEFAULT_PARAMS };
  for (const key of FILTER_KEYS) {
    const value = key === "q" ? (search.get(key) ?? "").slice(0, Q_MAX_LENGTH) : (search.get(key)?.trim() ?? "");
    if (value === "" || ((key === "from" || key === "to") && !isCalendarDay(value))) continue;
    if (PAYOUT_LIST_PARAM_SCHEMAS[key].safeParse(value).success) Object.assign(params, { [key]: value });
  }
  return params;
}

/** Filters live in the URL: shareable, and the back button walks through them. */
export function useDashboardParams() {
  // Both null only under the Pages Router, which serves no page here (only the bank's webhook).
  const search = useSearchParams();
  const router = useRouter();
  const pathname = usePathname() ?? "/dashboard";
  const params = useMemo(() => readParams(new URLSearchParams(search?.toString())), [search]);

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
