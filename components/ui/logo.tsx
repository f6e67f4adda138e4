export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight ${className}`}>
      <span aria-hidden className="grid size-8 place-items-center rounded-lg bg-brand-600 text-sm font-bold text-white">131</span>
      <span>Выплаты</span>
    </span>
  );
}
