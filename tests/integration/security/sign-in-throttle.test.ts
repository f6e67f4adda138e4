import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { hashPassword } from "@/lib/auth/password";
import { signInWithPassword } from "@/lib/auth/sign-in";
import { createSignInThrottle, type SignInThrottle } from "@/lib/auth/throttle";
import { createTestDatabase, testDatabaseKinds, type TestDatabase } from "../../helpers/database";

/**
 * A password-guessing run with the limits the portal ships with (lib/env.ts defaults): 30 wrong passwords,
 * then the right one is still refused — whether the guesses rotate addresses (the account locks) or rotate
 * accounts from one address (the address locks).
 */
describe.each(testDatabaseKinds())("sign-in throttling with the default limits (%s)", (kind) => {
  const limits = parseEnv({}).signIn;
  let database: TestDatabase;
  let throttle: SignInThrottle;
  const signIn = (email: string, password: string, address: string) => signInWithPassword({ prisma: database.prisma, throttle }, { email, password, address });

  beforeAll(async () => {
    database = await createTestDatabase({ kind });
    throttle = createSignInThrottle(database.prisma, limits);
    const passwordHash = await hashPassword("the-right-password-131");
    for (const email of ["target@portal.test", "bystander@portal.test"]) {
      await database.prisma.operator.create({ data: { email, name: "Оператор", role: "approver", passwordHash } });
    }
  });
  afterAll(async () => {
    await database?.drop();
  });

  const attempt = (email: string, password: string, address: string) => signIn(email, password, address).catch((error: unknown) => error);

  it("30 wrong passwords for one account from 30 addresses, then the right one is refused", async () => {
    expect(limits.maxFailuresPerAccount).toBeLessThan(30);
    for (let i = 0; i < 30; i++) {
      const outcome = await attempt("target@portal.test", `guess-${i}`, `198.51.100.${i + 1}`);
      expect(outcome === null || (outcome as { code?: string }).code === "sign_in_throttled", `guess ${i}`).toBe(true);
    }
    expect(await attempt("target@portal.test", "the-right-password-131", "198.51.100.200")).toMatchObject({ code: "sign_in_throttled", details: { params: { scope: "account" } } });
  });

  it("30 wrong passwords from one address across accounts, then a right password from it is refused", async () => {
    expect(limits.maxFailuresPerAddress).toBeLessThan(30);
    for (let i = 0; i < 30; i++) await attempt(`guess-${i}@portal.test`, "guess", "203.0.113.9");
    expect(await attempt("bystander@portal.test", "the-right-password-131", "203.0.113.9")).toMatchObject({ code: "sign_in_throttled", details: { params: { scope: "address" } } });
    // The account itself is not locked: its owner elsewhere still gets in.
    expect(await signIn("bystander@portal.test", "the-right-password-131", "192.0.2.1")).toMatchObject({ email: "bystander@portal.test" });
  });
});
