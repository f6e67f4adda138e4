import { createHash, randomBytes } from "node:crypto";
import type { Prisma, PrismaClient } from "../generated/prisma/client";
import type { OperatorRole } from "../generated/prisma/enums";
import type { EventBus } from "../events/bus";
import { audit, type Actor } from "../payouts/audit";
import { PayoutError } from "../payouts/errors";
import type { ApprovalLimits } from "../payouts/schemas";
import { approvalLimitsOf } from "../payouts/approvals";
import { inTransaction } from "../payouts/transaction";
import { hashPassword, verifyPassword } from "./password";
import type { LockoutScope, SignInThrottle } from "./throttle";

/**
 * Operator administration: invitations with a single-use set-password link, roles, access, own
 * password changes and lifting sign-in lockouts. Every change is an audit event; changes that take
 * access away are published so open event streams re-check their operator at once.
 */

export interface OperatorDeps {
  prisma: PrismaClient;
  events: Pick<EventBus, "publish">;
}

type Tx = Prisma.TransactionClient;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export interface OperatorSummary {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
  disabledAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** Invited and has not set a password yet. */
  pending: boolean;
  /** Approval limits in kopecks (null = no limit). */
  limits: ApprovalLimits;
}

export async function listOperators(prisma: PrismaClient): Promise<OperatorSummary[]> {
  const rows = await prisma.operator.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map(({ passwordHash, updatedAt: _updatedAt, dailyApprovalLimitKopecks, payoutApprovalLimitKopecks, ...row }) => ({
    ...row,
    pending: passwordHash === null,
    limits: approvalLimitsOf({ dailyApprovalLimitKopecks, payoutApprovalLimitKopecks }),
  }));
}

export interface InviteLink {
  token: string;
  url: string;
  expiresAt: Date;
}

export async function inviteOperator(
  deps: OperatorDeps,
  input: { email: string; name: string; role: OperatorRole; actor: Actor; ttlHours: number; publicBaseUrl: string },
): Promise<{ operator: OperatorSummary; link: InviteLink }> {
  const email = input.email.trim().toLowerCase();
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + input.ttlHours * 3_600_000);
  const operator = await deps.prisma.$transaction(async (tx) => {
    const existing = await tx.operator.findUnique({ where: { email }, select: { id: true } });
    if (existing) throw new PayoutError("operator_exists", "An operator with this email already exists", { field: "email", params: { email } });
    const created = await tx.operator.create({ data: { email, name: input.name.trim(), role: input.role, passwordHash: null } });
    await tx.operatorInvite.create({ data: { operatorId: created.id, tokenHash: hashToken(token), expiresAt, createdById: input.actor.id ?? null } });
    await audit(tx, { actor: input.actor, action: "operator.invited", data: { operatorId: created.id, email, role: input.role, expiresAt: expiresAt.toISOString() } });
    return created;
  });
  return {
    operator: {
      id: operator.id,
      email: operator.email,
      name: operator.name,
      role: operator.role,
      disabledAt: null,
      lastLoginAt: null,
      createdAt: operator.createdAt,
      pending: true,
      limits: approvalLimitsOf(operator),
    },
    link: { token, url: `${input.publicBaseUrl}/set-password/${token}`, expiresAt },
  };
}

/** What the set-password page shows before the form: whose link it is, or why it cannot be used. */
export async function describeInvite(prisma: PrismaClient, token: string, now = new Date()): Promise<{ email: string; name: string; expiresAt: Date }> {
  const invite = await findUsableInvite(prisma, token, now);
  return { email: invite.operator.email, name: invite.operator.name, expiresAt: invite.expiresAt };
}

async function findUsableInvite(prisma: PrismaClient | Tx, token: string, now: Date) {
  const invite = await prisma.operatorInvite.findUnique({ where: { tokenHash: hashToken(token) }, include: { operator: true } });
  if (!invite || invite.operator.disabledAt) throw new PayoutError("invite_invalid", "This set-password link is not valid");
  if (invite.usedAt) throw new PayoutError("invite_used", "This set-password link was already used");
  if (invite.expiresAt <= now) throw new PayoutError("invite_expired", "This set-password link has expired", { params: { expiresAt: invite.expiresAt.toISOString() } });
  return invite;
}

/** Uses a set-password link once: of two concurrent uses exactly one wins. */
export async function setPasswordWithInvite(prisma: PrismaClient, input: { token: string; password: string }, now = new Date()): Promise<{ email: string }> {
  const passwordHash = await hashPassword(input.password);
  return prisma.$transaction(async (tx) => {
    const invite = await findUsableInvite(tx, input.token, now);
    const { count } = await tx.operatorInvite.updateMany({ where: { id: invite.id, usedAt: null }, data: { usedAt: now } });
    if (count !== 1) throw new PayoutError("invite_used", "This set-password link was already used");
    await tx.operator.update({ where: { id: invite.operatorId }, data: { passwordHash } });
    await audit(tx, { actor: { type: "operator", id: invite.operatorId }, action: "operator.password_set", data: { operatorId: invite.operatorId, inviteId: invite.id } });
    return { email: invite.operator.email };
  });
}

/** Refuses a change that would leave no enabled admin (nobody could administer the portal). */
async function assertAnotherAdmin(tx: Tx, operatorId: string): Promise<void> {
  const others = await tx.operator.count({ where: { role: "admin", disabledAt: null, id: { not: operatorId } } });
  if (others === 0) throw new PayoutError("last_admin", "This is the last enabled admin; make someone else admin first");
}

async function loadOperator(tx: Tx, operatorId: string) {
  const operator = await tx.operator.findUnique({ where: { id: operatorId } });
  if (!operator) throw new PayoutError("not_found", "Operator not found");
  return operator;
}

export async function changeOperatorRole(deps: OperatorDeps, input: { operatorId: string; role: OperatorRole; actor: Actor }): Promise<void> {
  await inTransaction(deps, async (tx, emit) => {
    // Serializes admin changes, so two admins demoting each other cannot both succeed.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${OPERATOR_ADMIN_LOCK})`;
    const operator = await loadOperator(tx, input.operatorId);
    if (operator.role === input.role) return;
    if (operator.role === "admin" && !operator.disabledAt) await assertAnotherAdmin(tx, operator.id);
    await tx.operator.update({ where: { id: operator.id }, data: { role: input.role } });
    await audit(tx, { actor: input.actor, action: "operator.role_changed", data: { operatorId: operator.id, email: operator.email, from: operator.role, to: input.role } });
    emit({ type: "operator.updated", operatorId: input.operatorId });
  });
}

const OPERATOR_ADMIN_LOCK = 131_000_007;

export async function setOperatorDisabled(deps: OperatorDeps, input: { operatorId: string; disabled: boolean; actor: Actor }): Promise<void> {
  await inTransaction(deps, async (tx, emit) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${OPERATOR_ADMIN_LOCK})`;
    const operator = await loadOperator(tx, input.operatorId);
    if (Boolean(operator.disabledAt) === input.disabled) return;
    if (input.disabled && operator.role === "admin") await assertAnotherAdmin(tx, operator.id);
    await tx.operator.update({ where: { id: operator.id }, data: { disabledAt: input.disabled ? new Date() : null } });
    await audit(tx, { actor: input.actor, action: input.disabled ? "operator.disabled" : "operator.enabled", data: { operatorId: operator.id, email: operator.email } });
    emit({ type: "operator.updated", operatorId: input.operatorId });
  });
}

/**
 * An admin sets an operator's approval limits (null = no limit). Takes the operator's row lock, as
 * approvals do, so a change never lands in the middle of an approval's limit check.
 */
export async function setApprovalLimits(deps: OperatorDeps, input: { operatorId: string; limits: ApprovalLimits; actor: Actor }): Promise<void> {
  await inTransaction(deps, async (tx) => {
    await tx.$queryRaw`SELECT id FROM operators WHERE id = ${input.operatorId}::uuid FOR UPDATE`;
    const operator = await loadOperator(tx, input.operatorId);
    const from = approvalLimitsOf(operator);
    if (from.dailyKopecks === input.limits.dailyKopecks && from.payoutKopecks === input.limits.payoutKopecks) return;
    await tx.operator.update({
      where: { id: operator.id },
      data: {
        dailyApprovalLimitKopecks: input.limits.dailyKopecks === null ? null : BigInt(input.limits.dailyKopecks),
        payoutApprovalLimitKopecks: input.limits.payoutKopecks === null ? null : BigInt(input.limits.payoutKopecks),
      },
    });
    await audit(tx, { actor: input.actor, action: "operator.limits_changed", data: { operatorId: operator.id, email: operator.email, from: { ...from }, to: { ...input.limits } } });
  });
}

export async function changeOwnPassword(prisma: PrismaClient, input: { operatorId: string; currentPassword: string; newPassword: string }): Promise<void> {
  const operator = await prisma.operator.findUnique({ where: { id: input.operatorId } });
  if (!operator?.passwordHash || !(await verifyPassword(input.currentPassword, operator.passwordHash))) {
    throw new PayoutError("wrong_password", "The current password is not correct", { field: "currentPassword" });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await prisma.$transaction(async (tx) => {
    await tx.operator.update({ where: { id: operator.id }, data: { passwordHash } });
    await audit(tx, { actor: { type: "operator", id: operator.id }, action: "operator.password_changed", data: { operatorId: operator.id } });
  });
}

export async function liftLockout(prisma: PrismaClient, throttle: SignInThrottle, input: { scope: LockoutScope; subject: string; actor: Actor }): Promise<boolean> {
  const lifted = await throttle.lift(input.scope, input.subject);
  if (lifted) {
    await prisma.$transaction((tx) => audit(tx, { actor: input.actor, action: "auth.lockout_lifted", data: { scope: input.scope, subject: input.subject } }));
  }
  return lifted;
}

/** Lockouts still in force, from the lockout audit events of the last `lockoutSeconds`. */
export async function activeLockouts(prisma: PrismaClient, throttle: SignInThrottle, lockoutSeconds: number, now = new Date()) {
  const events = await prisma.auditEvent.findMany({
    where: { action: "auth.locked_out", at: { gte: new Date(now.getTime() - lockoutSeconds * 1000) } },
    orderBy: { id: "desc" },
    take: 200,
  });
  const seen = new Set<string>();
  const lockouts: Array<{ scope: LockoutScope; subject: string; retryAfterSeconds: number }> = [];
  for (const event of events) {
    const data = event.data as { scope?: LockoutScope; subject?: string } | null;
    if (!data?.scope || !data.subject || seen.has(`${data.scope}:${data.subject}`)) continue;
    seen.add(`${data.scope}:${data.subject}`);
    const seconds = await throttle.remaining(data.scope, data.subject);
    if (seconds !== null) lockouts.push({ scope: data.scope, subject: data.subject, retryAfterSeconds: seconds });
  }
  return lockouts;
}
