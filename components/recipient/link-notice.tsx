import type { ReactNode } from "react";

/**
 * A link that cannot be used (expired, revoked, not found): what happened and what to do next.
 * No hooks: rendered by the server (not-found page) and by the client flow alike.
 */
export function LinkNotice({
  kind,
  title,
  headingLevel = 2,
  children,
}: {
  kind: "expired" | "revoked" | "not_found";
  title: string;
  /** 1 when the notice is the whole page (not found), 2 under the payout summary. */
  headingLevel?: 1 | 2;
  children: ReactNode;
}) {
  const Heading = headingLevel === 1 ? "h1" : "h2";
  return (
    <section aria-labelledby="link-state-title" className="flex flex-col items-center py-4 text-center" data-testid="link-notice" data-kind={kind}>
      <span aria-hidden className="grid size-14 place-items-center rounded-full bg-slate-100 text-slate-600 ring-8 ring-slate-50">
        {kind === "expired" ? (
          <svg viewBox="0 0 24 24" className="size-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <circle cx="12" cy="12" r="8.5" />
            <path d="M12 7.5V12l3 2" />
          </svg>
        ) : kind === "revoked" ? (
          <svg viewBox="0 0 24 24" className="size-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
            <circle cx="12" cy="12" r="8.5" />
            <path d="M6 18 18 6" />
          </svg>
        ) : (
          <svg viewBox="0 0 24 24" className="size-7" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            <path d="M10 14a4 4 0 0 0 5.66 0l3-3a4 4 0 0 0-5.66-5.66l-1 1" />
            <path d="M14 10a4 4 0 0 0-5.66 0l-3 3a4 4 0 0 0 5.66 5.66l1-1" />
            <path d="m4 4 16 16" />
          </svg>
        )}
      </span>
      <Heading id="link-state-title" data-testid="link-state-title" tabIndex={-1} className="mt-5 text-xl font-semibold tracking-tight text-slate-900 outline-none">
        {title}
      </Heading>
      <div className="mt-2 max-w-sm text-sm text-slate-600" data-testid="link-state-body">
        {children}
      </div>
    </section>
  );
}
