/**
 * Error checks that do not use `instanceof`: Next.js can load the generated client more than once
 * per process, and the client that threw may be another copy than the caller's. They read Prisma's
 * codes and PostgreSQL's SQLSTATE (node-postgres and PGlite errors, and Prisma's raw-query errors).
 */
function sqlState(error: object): string | undefined {
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code) && !code.startsWith("P")) return code;
  const meta = (error as { meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } }).meta;
  const nested = meta?.code ?? meta?.driverAdapterError?.cause?.originalCode;
  return typeof nested === "string" ? nested : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  return (error as { code?: unknown }).code === "P2002" || sqlState(error) === "23505";
}

/**
 * The values themselves were refused, so the same input can never be stored: Prisma's own checks (an
 * invalid Date) or a PostgreSQL data exception (SQLSTATE class 22, e.g. a NUL character in text).
 */
export function isDataRejection(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  if ((error as { name?: unknown }).name === "PrismaClientValidationError") return true;
  if (sqlState(error)?.startsWith("22")) return true;
  const text = `${String((error as { message?: unknown }).message ?? "")} ${JSON.stringify((error as { meta?: unknown }).meta ?? null)}`;
  return /\b22(?:[0-9A-Z]{3})\b/.test(text) || /invalid byte sequence|unsupported Unicode escape|\\u0000 cannot be converted/i.test(text);
}
