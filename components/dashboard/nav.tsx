"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { OperatorRole } from "@/lib/generated/prisma/enums";

const ITEMS: Array<{ href: string; label: string; roles?: OperatorRole[] }> = [
  { href: "/dashboard", label: "Сессии выплат" },
  { href: "/dashboard/payouts/new", label: "Новая выплата", roles: ["approver", "admin"] },
  { href: "/dashboard/batches", label: "Пакеты" },
  { href: "/dashboard/webhooks", label: "Вебхуки" },
  { href: "/dashboard/partner-webhooks", label: "Вебхуки партнёра", roles: ["admin"] },
  { href: "/dashboard/operators", label: "Операторы", roles: ["admin"] },
  { href: "/dashboard/audit", label: "Аудит", roles: ["admin"] },
  { href: "/dashboard/account", label: "Пароль" },
];

export function DashboardNav({ role }: { role: OperatorRole }) {
  // Null only under the Pages Router, which serves no page here (only the bank's webhook).
  const pathname = usePathname() ?? "/dashboard";
  return (
    <nav aria-label="Разделы" className="flex gap-1 text-sm">
      {ITEMS.filter((item) => !item.roles || item.roles.includes(role)).map((item) => {
        const active = item.href === "/dashboard" ? pathname === item.href : pathname.startsWith(item.href);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? "page" : undefined}
            className={`rounded-md px-3 py-1.5 font-medium transition ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
