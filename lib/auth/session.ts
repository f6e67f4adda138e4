import "server-only";
import { getServerSession } from "next-auth";
import { getToken } from "next-auth/jwt";
import { cookies } from "next/headers";
import { cache } from "react";
import { getPrisma } from "../db";
import { env } from "../env";
import { authOptions } from "./options";
import type { OperatorRole } from "../generated/prisma/enums";

export type CurrentOperator = { id: string; email: string; name: string; role: OperatorRole };

/** The operator behind a session id as the database says now: null when gone or disabled. */
export async function loadActiveOperator(operatorId: string): Promise<CurrentOperator | null> {
  const prisma = await getPrisma();
  const operator = await prisma.operator.findUnique({ where: { id: operatorId }, select: { id: true, email: true, name: true, role: true, disabledAt: true } });
  if (!operator || operator.disabledAt) return null;
  return { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
}

/**
 * The signed-in operator, re-read from the database once per request (React `cache`): the JWT
 * only says who signed in, never their role or whether they may still get in, so a disabled or
 * demoted operator loses access on their next request.
 */
export const currentOperator = cache(async (): Promise<CurrentOperator | null> => {
  const session = await getServerSession(authOptions);
  const operatorId = session?.operator?.id;
  return operatorId ? loadActiveOperator(operatorId) : null;
});

/**
 * When the request's session cookie stops being valid (ms since epoch): the signed JWT's `exp`.
 * Null without a valid session. A session renewed later carries a later `exp` in a new cookie.
 */
export async function sessionExpiresAt(): Promise<number | null> {
  const jar = await cookies();
  const token = await getToken({
    req: { cookies: jar, headers: {} } as unknown as Parameters<typeof getToken>[0]["req"],
    secret: authOptions.secret,
    secureCookie: env().auth.url.startsWith("https://"),
  });
  return typeof token?.exp === "number" ? token.exp * 1000 : null;
}

/** Which roles may do what; the single source for UI hints and server checks. */
export const ROLE_CAN = {
  view: ["viewer", "approver", "admin"],
  createPayout: ["approver", "admin"],
  approve: ["approver", "admin"],
  administer: ["admin"],
  manageOperators: ["admin"],
  viewAudit: ["admin"],
  changeOwnPassword: ["viewer", "approver", "admin"],
} as const satisfies Record<string, readonly OperatorRole[]>;

export type Permission = keyof typeof ROLE_CAN;

export function can(role: OperatorRole, permission: Permission): boolean {
  return (ROLE_CAN[permission] as readonly OperatorRole[]).includes(role);
}
