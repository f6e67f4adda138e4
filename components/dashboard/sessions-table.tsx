"use client";

import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState, type Updater } from "@tanstack/react-table";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { MouseEvent } from "react";
import { formatKopecks } from "@/lib/money";
import type { PayoutListRow } from "@/lib/payouts/list";
import type { PayoutSortKey, SortDirection } from "@/lib/payouts/list-query";
import { Countdown } from "./countdown";
import { formatRequestNumber } from "@/lib/format/numbers";
import { METHOD_LABEL, SOURCE_ACCOUNT_LABEL, STATUS_LABEL, statusBadgeClass } from "@/lib/format/status";
import { formatDateTime, formatDateTimeShort } from "@/lib/format/time";

/**
 * The sessions table (TanStack Table: headless column model + sorting state; we own the markup).
 * Sorting is server-side (keyset pages), so the table only reports header clicks.
 */

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, PayoutListRow>();

export function StatusBadge({ status }: { status: PayoutListRow["status"] }) {
  return (
    <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${statusBadgeClass(status)}`} data-testid="status-badge">
      {STATUS_LABEL[status]}
    </span>
  );
}

const columns = helper.columns([
  helper.accessor("number", {
    id: "number",
    header: "Номер",
    enableSorting: false,
    cell: (info) => (
      <Link href={`/dashboard/payouts/${info.row.original.id}`} className="whitespace-nowrap font-mono text-xs font-medium text-brand-700 hover:underline" onClick={(event) => event.stopPropagation()}>
        {formatRequestNumber(info.getValue())}
      </Link>
    ),
  }),
  helper.accessor("createdAt", {
    id: "createdAt",
    header: "Создана",
    cell: (info) => (
      <span className="whitespace-nowrap tabular-nums text-slate-700" title={formatDateTime(info.getValue())}>
        {formatDateTimeShort(info.getValue())}
      </span>
    ),
  }),
  helper.accessor("recipientName", {
    id: "recipient",
    header: "Получатель",
    enableSorting: false,
    cell: (info) => (
      <span className="block max-w-56 truncate font-medium" title={info.getValue()}>
        {info.getValue()}
        {info.row.original.reference ? <span className="block truncate text-xs font-normal text-slate-500">{info.row.original.reference}</span> : null}
      </span>
    ),
  }),
  helper.accessor("amountKopecks", {
    id: "amount",
    header: "Сумма",
    meta: { align: "right" },
    cell: (info) => <span className="whitespace-nowrap font-medium tabular-nums">{formatKopecks(info.getValue())}</span>,
  }),
  helper.accessor("method", {
    id: "method",
    header: "Способ",
    enableSorting: false,
    cell: (info) => (
      <span className="block whitespace-nowrap">
        <span className="block text-slate-700">{METHOD_LABEL[info.getValue()] ?? info.getValue()}</span>
        {info.row.original.instrumentLabel ? <span className="block text-xs text-slate-500">{info.row.original.instrumentLabel}</span> : null}
      </span>
    ),
  }),
  helper.accessor("sourceAccount", {
    id: "source",
    header: "Счёт",
    enableSorting: false,
    cell: (info) => <span className="whitespace-nowrap text-slate-700">{SOURCE_ACCOUNT_LABEL[info.getValue()] ?? info.getValue()}</span>,
  }),
  helper.accessor("status", {
    id: "status",
    header: "Статус",
    enableSorting: false,
    cell: (info) => (
      <span className="block">
        <StatusBadge status={info.getValue()} />
        {info.row.original.failureCode ? <span className="mt-0.5 block max-w-40 truncate font-mono text-[11px] text-red-700" title={info.row.original.failureCode}>{info.row.original.failureCode}</span> : null}
      </span>
    ),
  }),
  helper.accessor("bankSessionId", {
    id: "bankSession",
    header: "Сессия банка",
    enableSorting: false,
    cell: (info) => {
      const id = info.getValue();
      return id ? <span className="whitespace-nowrap font-mono text-xs text-slate-600">{id}</span> : <span className="text-slate-300">—</span>;
    },
  }),
  helper.accessor("confirmDeadlineAt", {
    id: "deadline",
    header: "Срок решения",
    enableSorting: false,
    cell: (info) => {
      const deadline = info.getValue();
      return info.row.original.status === "awaiting_approval" && deadline ? <Countdown deadline={deadline} /> : <span className="text-slate-300">—</span>;
    },
  }),
  helper.accessor("updatedAt", {
    id: "updatedAt",
    header: "Обновлена",
    cell: (info) => (
      <span className="whitespace-nowrap tabular-nums text-slate-500" title={formatDateTime(info.getValue())}>
        {formatDateTimeShort(info.getValue())}
      </span>
    ),
  }),
]);

const SORT_LABEL: Record<string, string> = { createdAt: "дате создания", amount: "сумме", updatedAt: "дате обновления" };

export function SessionsTable({
  rows,
  sort,
  dir,
  onSort,
}: {
  rows: PayoutListRow[];
  sort: PayoutSortKey;
  dir: SortDirection;
  onSort: (sort: PayoutSortKey, dir: SortDirection) => void;
}) {
  const router = useRouter();
  const sorting: SortingState = [{ id: sort, desc: dir === "desc" }];
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (row) => row.id,
    state: { sorting },
    onSortingChange: (updater: Updater<SortingState>) => {
      const next = typeof updater === "function" ? updater(sorting) : updater;
      const first = next[0];
      if (first) onSort(first.id as PayoutSortKey, first.desc ? "desc" : "asc");
    },
    manualSorting: true,
    enableMultiSort: false,
    enableSortingRemoval: false,
    sortDescFirst: true,
  });

  const openRow = (event: MouseEvent<HTMLTableRowElement>, id: string) => {
    // Keep text selection and modifier clicks (new tab) working; links inside handle themselves.
    if (event.defaultPrevented || event.metaKey || event.ctrlKey || event.shiftKey || window.getSelection()?.toString()) return;
    router.push(`/dashboard/payouts/${id}`);
  };

  return (
    <div className="overflow-x-auto rounded-xl border border-slate-200 bg-white" data-testid="sessions-table-scroll">
      <table className="w-full min-w-[1040px] border-collapse text-sm" data-testid="sessions-table">
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id}>
              {group.headers.map((header) => {
                const align = (header.column.columnDef.meta as { align?: string } | undefined)?.align === "right" ? "text-right" : "text-left";
                if (!header.column.getCanSort()) {
                  return (
                    <th key={header.id} scope="col" className={`whitespace-nowrap px-2.5 py-2.5 ${align}`}>
                      <table.FlexRender header={header} />
                    </th>
                  );
                }
                const sorted = header.column.getIsSorted();
                return (
                  <th key={header.id} scope="col" className={`whitespace-nowrap px-2.5 py-2.5 ${align}`} aria-sort={sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none"}>
                    <button
                      type="button"
                      onClick={header.column.getToggleSortingHandler()}
                      className={`inline-flex items-center gap-1 uppercase tracking-wide hover:text-slate-900 ${sorted ? "text-slate-900" : ""}`}
                      title={`Сортировать по ${SORT_LABEL[header.column.id] ?? ""}`}
                      data-testid={`sort-${header.column.id}`}
                    >
                      <table.FlexRender header={header} />
                      <span aria-hidden className={sorted ? "text-brand-600" : "text-slate-300"}>
                        {sorted === "asc" ? "↑" : "↓"}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100">
          {table.getRowModel().rows.map((row) => (
            <tr
              key={row.id}
              className="cursor-pointer align-top transition-colors hover:bg-brand-50/40"
              data-testid="payout-row"
              data-payout-id={row.original.id}
              data-status={row.original.status}
              onClick={(event) => openRow(event, row.original.id)}
            >
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className={`px-2.5 py-2.5 ${(cell.column.columnDef.meta as { align?: string } | undefined)?.align === "right" ? "text-right" : ""}`}>
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
