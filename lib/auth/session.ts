import "server-only";
import { getServerSession } from "next-auth";
import { authOptions } from "./options";
import type { OperatorRole } from "../generated/prisma/enums";

export type CurrentOperator = { id: string; email: string; name: string; role: OperatorRole };

export async function currentOperator(): Promise<CurrentOperator | null> {
  const session = await getServerSession(authOptions);
  return session?.operator ?? null;
}

/** Which roles may do what; the single source for UI hints and server checks. */
export const ROLE_CAN = {
  view: ["viewer", "approver", "admin"],
  createPayout: ["approver", "admin"],
  approve: ["approver", "admin"],
  administer: ["admin"],
} as const satisfies Record<string, readonly OperatorRole[]>;

export type Permission = keyof typeof ROLE_CAN;

export function can(role: OperatorRole, permission: Permission): boolean {
  return (ROLE_CAN[permission] as readonly OperatorRole[]).includes(role);
}
