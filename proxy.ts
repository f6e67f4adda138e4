import { withAuth } from "next-auth/middleware";
import { env } from "@/lib/env";

// Signed-out visitors of operator pages go to the sign-in page; role checks happen in the pages
// and route handlers themselves.
export const proxy = withAuth({ pages: { signIn: "/login" }, secret: env().auth.secret });

export const config = { matcher: ["/dashboard/:path*"] };
