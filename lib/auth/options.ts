import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "../env";
import { getPrisma } from "../db";
import { logger } from "../logger";
import { isPayoutError } from "../payouts/errors";
import { signInWithPassword, THROTTLED_PREFIX } from "./sign-in";
import { clientAddress, createSignInThrottle, type SignInThrottle } from "./throttle";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(256),
});

const SESSION_HOURS = 12;

let throttle: SignInThrottle | undefined;
/** The process's sign-in limiter (its counters live in the database, shared by every instance). */
export async function getSignInThrottle(): Promise<SignInThrottle> {
  throttle ??= createSignInThrottle(await getPrisma(), env().signIn);
  return throttle;
}

export const authOptions: NextAuthOptions = {
  secret: env().auth.secret,
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const address = clientAddress(request?.headers);
        try {
          const operator = await signInWithPassword({ prisma: await getPrisma(), throttle: await getSignInThrottle() }, { ...parsed.data, address });
          if (!operator) logger.info({ email: parsed.data.email, address }, "operator sign-in refused");
          else logger.info({ operatorId: operator.id, role: operator.role }, "operator signed in");
          return operator;
        } catch (error) {
          if (!isPayoutError(error) || error.code !== "sign_in_throttled") throw error;
          logger.warn({ email: parsed.data.email, address, ...error.details.params }, "operator sign-in throttled");
          // next-auth hands the message to the login form as `error`; it carries the code and the wait.
          throw new Error(`${THROTTLED_PREFIX}${error.details.params?.retryAfterSeconds ?? 0}`);
        }
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.operatorId = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      session.operator = { id: token.operatorId, email: token.email ?? "", name: token.name ?? "", role: token.role };
      return session;
    },
  },
};
