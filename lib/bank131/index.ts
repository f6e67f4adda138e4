// Pure Bank 131 client library: no Next.js or portal imports (the sandbox server imports it too).
export * from "./signature";
export * from "./schemas";
export * from "./wire";
export * from "./errors";
export * from "./client";
export * from "./webhook";
export * from "./messages";
