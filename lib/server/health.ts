import "server-only";
import { getDatabase } from "../db";
import { logger } from "../logger";

export interface Health {
  status: "ok" | "degraded";
  // No error text: it can name hosts, users and database names to anyone who asks (it is logged).
  database: { status: "up" | "down"; kind?: "postgres" | "pglite"; latencyMs?: number };
  time: string;
}

export async function checkHealth(): Promise<Health> {
  const started = performance.now();
  try {
    const db = await getDatabase();
    await db.prisma.$queryRaw`SELECT 1`;
    return {
      status: "ok",
      database: { status: "up", kind: db.target.kind, latencyMs: Math.round((performance.now() - started) * 10) / 10 },
      time: new Date().toISOString(),
    };
  } catch (error) {
    logger.warn({ err: error }, "health check: database down");
    return { status: "degraded", database: { status: "down" }, time: new Date().toISOString() };
  }
}
