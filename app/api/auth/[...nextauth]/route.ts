import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { badRequest } from "@/lib/http/errors";
import { errorResponse } from "@/lib/http/route";

const handler = NextAuth(authOptions);

export { handler as GET };

/**
 * next-auth reads a JSON content type with `request.json()` and answers 500 when the body is not JSON (or
 * not an object): such a body is bad input, refused with 400 before next-auth sees it. Its own forms post
 * `application/x-www-form-urlencoded` and pass untouched.
 */
export const POST = async (request: Request, context: unknown): Promise<Response> => {
  if (request.headers.get("content-type")?.includes("application/json")) {
    let body: unknown;
    try {
      body = JSON.parse(await request.clone().text());
    } catch {
      body = undefined;
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) return errorResponse(badRequest("Body is not a JSON object"));
  }
  return handler(request, context);
};
