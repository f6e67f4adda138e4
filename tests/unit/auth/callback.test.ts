import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "@/lib/auth/callback";

describe("sign-in callback URL", () => {
  it.each([
    ["/dashboard", "/dashboard"],
    ["/dashboard/payouts/0193e0c8-0000-7000-8000-000000000000", "/dashboard/payouts/0193e0c8-0000-7000-8000-000000000000"],
    ["/dashboard?status=paid&q=%D0%98%D0%B2", "/dashboard?status=paid&q=%D0%98%D0%B2"],
    ["/dashboard/../dashboard/webhooks", "/dashboard/webhooks"],
  ])("keeps the same-origin dashboard path %s", (value, expected) => {
    expect(safeCallbackPath(value)).toBe(expected);
  });

  it.each([
    "/\\evil.example",
    "/\\/evil.example",
    "/%09/evil.example",
    "/%5Cevil.example",
    "/\t/evil.example",
    "//evil.example",
    "///evil.example",
    "https://evil.example/dashboard",
    "http://portal.invalid.evil.example/dashboard",
    "javascript:alert(1)",
    "/dashboardx",
    "/api/payouts",
    "/dashboard/../api/payouts",
    "",
  ])("sends %j to the dashboard instead", (value) => {
    expect(safeCallbackPath(value)).toBe("/dashboard");
  });

  it("reads the first of repeated parameters and defaults when absent", () => {
    expect(safeCallbackPath(["/dashboard/webhooks", "//evil.example"])).toBe("/dashboard/webhooks");
    expect(safeCallbackPath(undefined)).toBe("/dashboard");
  });
});
