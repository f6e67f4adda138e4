/**
 * Prisma error checks that do not use `instanceof`: Next.js can load the generated client more
 * than once per process, and the client that threw may be another copy than the caller's.
 */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
