import { randomBytes, scryptSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventBus, type EventBus, type PortalEvent } from "@/lib/events/bus";
import {
  activeLockouts,
  changeOperatorRole,
  changeOwnPassword,
  describeInvite,
  inviteOperator,
  liftLockout,
  setOperatorDisabled,
  setPasswordWithInvite,
} from "@/lib/auth/operators";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { createSignInThrottle, type SignInThrottle } from "@/lib/auth/throttle";
import { verifyAuditChain } from "@/lib/payouts/audit";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../../helpers/database";

const LIMITS = { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, failureWindowSeconds: 900, lockoutSeconds: 600 };

describe.each(testDatabaseKinds())("operator administration and sign-in limits (%s)", (kind) => {
  let database: TestDatabase;
  let events: EventBus;
  let throttle: SignInThrottle;
  let adminId: string;
  const admin = () => ({ type: "operator" as const, id: adminId });
  const deps = () => ({ prisma: database.prisma, events });
  const signIn = (email: string, password: string, address = "10.0.0.1") => signInWithPassword({ prisma: database.prisma, throttle }, { email, password, address });

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    events = createEventBus(database);
    throttle = createSignInThrottle(database.prisma, LIMITS);
    const created = await database.prisma.operator.create({
      data: { email: "admin@portal.test", name: "Админ", role: "admin", passwordHash: await hashPassword("admin-password-131") },
    });
    adminId = created.id;
  });
  afterAll(async () => {
    await events?.close();
    await database?.drop();
  });

  it("a password hashed with older scrypt parameters still signs in, and is rehashed at today's", async () => {
    const salt = randomBytes(16);
    const oldHash = ["scrypt", 1 << 15, 8, 1, salt.toString("base64"), scryptSync("old-params-131", salt, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 }).toString("base64")].join("$");
    await database.prisma.operator.create({ data: { email: "old.hash@portal.test", name: "Старый", role: "viewer", passwordHash: oldHash } });
    expect(await signIn("old.hash@portal.test", "old-params-131", "10.9.9.9")).toMatchObject({ email: "old.hash@portal.test" });
    const { passwordHash } = await database.prisma.operator.findUniqueOrThrow({ where: { email: "old.hash@portal.test" } });
    expect(passwordHash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await signIn("old.hash@portal.test", "old-params-131", "10.9.9.9")).toMatchObject({ email: "old.hash@portal.test" });
  });

  it("an invite link sets the password once; the new operator then signs in", async () => {
    const { operator, link } = await inviteOperator(deps(), { email: "New.Approver@portal.test", name: "Новый", role: "approver", actor: admin(), ttlHours: 72, publicBaseUrl: "http://portal.test" });
    expect(link.url).toBe(`http://portal.test/set-password/${link.token}`);
    expect(operator).toMatchObject({ email: "new.approver@portal.test", pending: true });
    const stored = await database.prisma.operatorInvite.findFirstOrThrow({ where: { operatorId: operator.id } });
    expect(stored.tokenHash).not.toContain(link.token);
    expect(await signIn("new.approver@portal.test", "anything-at-all")).toBeNull();

    expect(await describeInvite(database.prisma, link.token)).toMatchObject({ email: "new.approver@portal.test" });
    // Two tabs submit at once: exactly one wins.
    const results = await Promise.allSettled([
      setPasswordWithInvite(database.prisma, { token: link.token, password: "first-password-131" }),
      setPasswordWithInvite(database.prisma, { token: link.token, password: "second-password-131" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    await expect(setPasswordWithInvite(database.prisma, { token: link.token, password: "third-password-131" })).rejects.toMatchObject({ code: "invite_used" });
    const winner = results.findIndex((result) => result.status === "fulfilled") === 0 ? "first-password-131" : "second-password-131";
    expect(await signIn("new.approver@portal.test", winner)).toMatchObject({ email: "new.approver@portal.test", role: "approver" });
  });

  it("an expired or unknown link is refused with its own code; an existing email cannot be invited twice", async () => {
    const { link } = await inviteOperator(deps(), { email: "late@portal.test", name: "Поздний", role: "viewer", actor: admin(), ttlHours: 1, publicBaseUrl: "http://portal.test" });
    const later = new Date(Date.now() + 2 * 3_600_000);
    await expect(setPasswordWithInvite(database.prisma, { token: link.token, password: "late-password-131" }, later)).rejects.toMatchObject({ code: "invite_expired" });
    await expect(setPasswordWithInvite(database.prisma, { token: "x".repeat(43), password: "late-password-131" })).rejects.toMatchObject({ code: "invite_invalid" });
    await expect(inviteOperator(deps(), { email: "late@portal.test", name: "Дубль", role: "viewer", actor: admin(), ttlHours: 1, publicBaseUrl: "http://portal.test" })).rejects.toMatchObject({
      code: "operator_exists",
    });
  });

  it("role changes and disabling are audited, announced, and never leave the portal without an admin", async () => {
    const target = await database.prisma.operator.findUniqueOrThrow({ where: { email: "new.approver@portal.test" } });
    const announced: PortalEvent[] = [];
    const unsubscribe = events.subscribe((event) => announced.push(event));
    await changeOperatorRole(deps(), { operatorId: target.id, role: "viewer", actor: admin() });
    await setOperatorDisabled(deps(), { operatorId: target.id, disabled: true, actor: admin() });
    expect((await database.prisma.operator.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("viewer");
    // On PostgreSQL the notices travel through LISTEN/NOTIFY: wait for them to arrive.
    await expect.poll(() => announced.filter((event) => event.type === "operator.updated" && event.operatorId === target.id).length).toBe(2);
    unsubscribe();
    const actions = await database.prisma.auditEvent.findMany({ where: { actorId: adminId }, orderBy: { id: "asc" }, select: { action: true, data: true } });
    expect(actions.map((event) => event.action)).toEqual(["operator.invited", "operator.invited", "operator.role_changed", "operator.disabled"]);
    expect(actions[2]!.data).toMatchObject({ from: "approver", to: "viewer" });

    await expect(changeOperatorRole(deps(), { operatorId: adminId, role: "viewer", actor: admin() })).rejects.toMatchObject({ code: "last_admin" });
    await expect(setOperatorDisabled(deps(), { operatorId: adminId, disabled: true, actor: admin() })).rejects.toMatchObject({ code: "last_admin" });
    await setOperatorDisabled(deps(), { operatorId: target.id, disabled: false, actor: admin() });
    expect(await verifyAuditChain(database.prisma)).toMatchObject({ ok: true });
  });

  it("an operator changes their own password only with the current one", async () => {
    await expect(changeOwnPassword(database.prisma, { operatorId: adminId, currentPassword: "not-it", newPassword: "brand-new-password-131" })).rejects.toMatchObject({
      code: "wrong_password",
      details: { field: "currentPassword" },
    });
    await changeOwnPassword(database.prisma, { operatorId: adminId, currentPassword: "admin-password-131", newPassword: "brand-new-password-131" });
    expect(await signIn("admin@portal.test", "admin-password-131")).toBeNull();
    expect(await signIn("admin@portal.test", "brand-new-password-131")).toMatchObject({ id: adminId });
    expect(await database.prisma.auditEvent.count({ where: { action: "operator.password_changed", actorId: adminId } })).toBe(1);
  });

  it("N wrong passwords lock the account: the right one is refused with the wait until an admin lifts it", async () => {
    await database.prisma.operator.create({ data: { email: "victim@portal.test", name: "Жертва", role: "viewer", passwordHash: await hashPassword("victim-password-131") } });
    expect(await signIn("victim@portal.test", "wrong-1", "10.0.0.2")).toBeNull();
    expect(await signIn("victim@portal.test", "wrong-2", "10.0.0.3")).toBeNull();
    await expect(signIn("victim@portal.test", "wrong-3", "10.0.0.4")).rejects.toMatchObject({ code: "sign_in_throttled", details: { params: { scope: "account" } } });
    const refused = await signIn("victim@portal.test", "victim-password-131", "10.0.0.5").catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: "sign_in_throttled", details: { params: { scope: "account" } } });
    const wait = (refused as { details: { params: { retryAfterSeconds: number } } }).details.params.retryAfterSeconds;
    expect(wait).toBeGreaterThan(LIMITS.lockoutSeconds - 30);
    expect(wait).toBeLessThanOrEqual(LIMITS.lockoutSeconds);

    const lockout = await database.prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.locked_out" } });
    expect(lockout.data).toMatchObject({ scope: "account", subject: "victim@portal.test", address: "10.0.0.4" });
    expect(await activeLockouts(database.prisma, throttle, LIMITS.lockoutSeconds)).toEqual([
      { scope: "account", subject: "victim@portal.test", retryAfterSeconds: expect.any(Number) },
    ]);

    expect(await liftLockout(database.prisma, throttle, { scope: "account", subject: "victim@portal.test", actor: admin() })).toBe(true);
    expect(await signIn("victim@portal.test", "victim-password-131", "10.0.0.5")).toMatchObject({ email: "victim@portal.test" });
    expect(await database.prisma.auditEvent.count({ where: { action: "auth.lockout_lifted", actorId: adminId } })).toBe(1);
  });

  it("failures from one address across accounts lock that address, not other addresses", async () => {
    const address = "203.0.113.7";
    for (let i = 0; i < LIMITS.maxFailuresPerAddress - 1; i++) expect(await signIn(`nobody-${i}@portal.test`, "guess", address)).toBeNull();
    await expect(signIn("nobody-last@portal.test", "guess", address)).rejects.toMatchObject({ code: "sign_in_throttled", details: { params: { scope: "address" } } });
    // Even the right password of a real account is refused from that address…
    await expect(signIn("victim@portal.test", "victim-password-131", address)).rejects.toMatchObject({ code: "sign_in_throttled" });
    // …and works from another.
    expect(await signIn("victim@portal.test", "victim-password-131", "198.51.100.1")).toMatchObject({ email: "victim@portal.test" });
    await liftLockout(database.prisma, throttle, { scope: "address", subject: address, actor: admin() });
    expect(await signIn("victim@portal.test", "victim-password-131", address)).toMatchObject({ email: "victim@portal.test" });
  });
});
