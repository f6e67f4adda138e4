import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { env } from "../env";
import { getPrisma } from "../db";
import { logger } from "../logger";
import { dummyPasswordHash, verifyPassword } from "./password";

const credentialsSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email()),
  password: z.string().min(1).max(256),
});

const SESSION_HOURS = 12;

export const authOptions: NextAuthOptions = {
  secret: env().auth.secret,
  session: { strategy: "jwt", maxAge: SESSION_HOURS * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const prisma = await getPrisma();
        const operator = await prisma.operator.findUnique({ where: { email: parsed.data.email } });
        // Verify against a dummy hash for unknown emails so timing does not reveal which exist.
        const valid = await verifyPassword(parsed.data.password, operator?.passwordHash ?? (await dummyPasswordHash()));
        if (!operator || !valid || operator.disabledAt) {
          logger.info({ email: parsed.data.email }, "operator sign-in refused");
          return null;
        }
        await prisma.operator.update({ where: { id: operator.id }, data: { lastLoginAt: new Date() } });
        logger.info({ operatorId: operator.id, role: operator.role }, "operator signed in");
        return { id: operator.id, email: operator.email, name: operator.name, role: operator.role };
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
