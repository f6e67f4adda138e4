import type { OperatorRole } from "../generated/prisma/enums";

declare module "next-auth" {
  interface User {
    role: OperatorRole;
  }

  interface Session {
    operator: { id: string; email: string; name: string; role: OperatorRole };
  }
}

declare module "next-auth/jwt" {
  interface JWT {
    operatorId: string;
    role: OperatorRole;
  }
}
