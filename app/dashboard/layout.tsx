import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { DashboardNav } from "@/components/dashboard/nav";
import { SignOutButton } from "@/components/auth/sign-out-button";
import { ConnectionIndicator } from "@/components/live/connection-indicator";
import { LiveEventsProvider } from "@/components/live/live-events";
import { Logo } from "@/components/ui/logo";
import { currentOperator } from "@/lib/auth/session";
import { ROLE_LABEL } from "@/lib/format/roles";
import { PortalFrame } from "../portal-frame";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const operator = await currentOperator();
  if (!operator) redirect("/login?callbackUrl=/dashboard");
  return (
    <PortalFrame>
      <LiveEventsProvider>
        <div className="min-h-dvh">
          <header className="border-b border-slate-200 bg-white">
            <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-8 gap-y-2 px-4 py-3 sm:px-6">
              <Logo />
              <DashboardNav role={operator.role} />
              <ConnectionIndicator />
              <div className="ml-auto flex items-center gap-3 text-sm">
                <span className="text-right leading-tight">
                  <span className="block font-medium" data-testid="operator-name">{operator.name}</span>
                  <span className="block text-xs text-slate-500">{ROLE_LABEL[operator.role]}</span>
                </span>
                <SignOutButton />
              </div>
            </div>
          </header>
          <main className="mx-auto max-w-7xl px-4 py-6 sm:px-6">{children}</main>
        </div>
      </LiveEventsProvider>
    </PortalFrame>
  );
}
