import { z } from "zod";
import { OperatorRole } from "../generated/prisma/enums";
import { ApprovalLimitsSchema } from "../payouts/schemas";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./operators";

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

export const RoleSchema = z.enum(Object.values(OperatorRole) as [OperatorRole, ...OperatorRole[]]);

export const InviteSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email({ error: "must be an email address" })),
  name: z.string().trim().min(1, "is required").max(120),
  role: RoleSchema,
});

export const OperatorChangeSchema = z.union([
  z.object({ role: RoleSchema }).strict(),
  z.object({ disabled: z.boolean() }).strict(),
  z.object({ limits: ApprovalLimitsSchema }).strict(),
]);

export const SetPasswordSchema = z.object({ token: z.string().min(20).max(200), password: PasswordSchema });

export const ChangePasswordSchema = z.object({ currentPassword: z.string().min(1, "is required").max(PASSWORD_MAX_LENGTH), newPassword: PasswordSchema });

export const LiftLockoutSchema = z.object({ scope: z.enum(["account", "address"]), subject: z.string().trim().min(1).max(255) });
