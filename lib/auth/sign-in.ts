import type { PrismaClient } from "../generated/prisma/client";
import type { OperatorRole } from "../generated/prisma/enums";
import { audit } from "../payouts/audit";
import { PayoutError } from "../payouts/errors";
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from "./password";
import type { Lockout, SignInThrottle } from "./throttle";

export interface SignedInOperator {
  id: string;
  email: string;
  name: string;
  role: OperatorRole;
}

/** What next-auth's credentials authorize() throws for a limited attempt; the login form reads it. */
export const THROTTLED_PREFIX = "sign_in_throttled:";

export function throttledError(lockout: Lockout): PayoutError {
  return new PayoutError("sign_in_throttled", `Too many failed sign-ins; try again in ${lockout.retryAfterSeconds} s`, {
    params: { retryAfterSeconds: lockout.retryAfterSeconds, scope: lockout.scope },
  });
}

/**
 * Checks an email and password under the sign-in limits. Returns the operator, or null for a wrong
 * email/password/disabled account (all answered alike). Throws `sign_in_throttled` (with the wait)
 * while the account or the address is locked, including on the failure that starts the lockout.
 */
export async function signInWithPassword(
  deps: { prisma: PrismaClient; throttle: SignInThrottle },
  input: { email: string; password: string; address: string },
): Promise<SignedInOperator | null> {
  const email = input.email.trim().toLowerCase();
  const locked = await deps.throttle.lockout(email, input.address);
  if (locked) throw throttledError(locked);
  const operator = await deps.prisma.operator.findUnique({ where: { email } });
  // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
  const valid = await verifyPassword(input.password, operator?.passwordHash ?? (await dummyPasswordHash()));
  if (!operator || !valid || operator.disabledAt) {
    const started = await deps.throttle.recordFailure(email, input.address);
    for (const lockout of started) {
      await deps.prisma.$transaction((tx) =>
        audit(tx, {
          actor: { type: "system" },
          action: "auth.locked_out",
          data: { scope: lockout.scope, subject: lockout.subject, email, address: input.address, lockoutSeconds: lockout.retryAfterSeconds },
        }),
      );
    }
    if (started.length > 0) throw throttledError(started.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0]!);
    return null;
  }
  await deps.throttle.recordSuccess(email);
  // The password is known only now: a hash made with weaker parameters is replaced by today's.
  const rehashed = operator.passwordHash && needsRehash(operator.passwordHash) ? await hashPassword(input.password) : undefined;
  await deps.prisma.operator.update({ where: { id: operator.id }, data: { lastLoginAt: new Date(), ...(rehashed ? { passwordHash: rehashed } : {}) } });
  return { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
}
