/** Collapsible raw data: JSON pretty-printed, or text exactly as received. */
export function JsonBlock({ summary, value, verbatim, testId }: { summary: string; value: unknown; verbatim?: boolean; testId?: string }) {
  const text = verbatim && typeof value === "string" ? value : JSON.stringify(value, null, 2);
  return (
    <details className="group mt-2 min-w-0 max-w-full rounded-lg border border-slate-200 bg-slate-50 text-xs open:bg-white" data-testid={testId}>
      <summary className="flex cursor-pointer list-none items-center gap-1.5 px-3 py-2 font-medium text-slate-600 select-none hover:text-slate-900 [&::-webkit-details-marker]:hidden">
        <svg aria-hidden viewBox="0 0 20 20" className="size-3.5 shrink-0 transition-transform group-open:rotate-90" fill="currentColor">
          <path d="M7.2 4.8a.75.75 0 0 1 1.06 0l4.67 4.67a.75.75 0 0 1 0 1.06L8.26 15.2a.75.75 0 1 1-1.06-1.06L11.34 10 7.2 5.86a.75.75 0 0 1 0-1.06Z" />
        </svg>
        {summary}
      </summary>
      {/* Focusable, so a long body can be scrolled from the keyboard. */}
      <pre
        tabIndex={0}
        className="max-h-96 overflow-auto border-t border-slate-200 px-3 py-2 font-mono text-[11px] leading-relaxed break-normal whitespace-pre text-slate-800 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600"
      >
        {text === undefined ? "—" : text}
      </pre>
    </details>
  );
}
