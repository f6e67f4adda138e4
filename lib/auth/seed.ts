import type { PrismaClient } from "../generated/prisma/client";
import type { OperatorRole } from "../generated/prisma/enums";
import { hashPassword } from "./password";

/**
 * Development operators, one per role plus a second approver, so maker ≠ checker and two-approver
 * payouts can be tried at once. Their passwords are printed by `npm run demo`.
 */
export const DEV_OPERATORS: ReadonlyArray<{ email: string; name: string; role: OperatorRole; password: string }> = [
  { email: "admin@portal.test", name: "Анна Админова", role: "admin", password: "admin-demo-131" },
  { email: "approver@portal.test", name: "Пётр Согласов", role: "approver", password: "approver-demo-131" },
  { email: "approver2@portal.test", name: "Ольга Проверкина", role: "approver", password: "approver2-demo-131" },
  { email: "viewer@portal.test", name: "Вера Смотрова", role: "viewer", password: "viewer-demo-131" },
];

/** Creates the dev operators that do not exist yet; never overwrites a changed password. */
export async function seedDevOperators(prisma: PrismaClient): Promise<{ created: string[] }> {
  const created: string[] = [];
  for (const operator of DEV_OPERATORS) {
    const existing = await prisma.operator.findUnique({ where: { email: operator.email }, select: { id: true } });
    if (existing) continue;
    await prisma.operator.create({
      data: { email: operator.email, name: operator.name, role: operator.role, passwordHash: await hashPassword(operator.password) },
    });
    created.push(operator.email);
  }
  return { created };
}
