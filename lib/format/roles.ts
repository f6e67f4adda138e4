import type { OperatorRole } from "../generated/prisma/enums";

/** Operator roles as people read them (the header, operator administration). */
export const ROLE_LABEL: Record<OperatorRole, string> = { admin: "Администратор", approver: "Согласующий", viewer: "Наблюдатель" };
