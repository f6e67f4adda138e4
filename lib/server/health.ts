import "server-only";
import { getDatabase } from "../db";
import { logger } from "../logger";

export interface Health {
  status: "ok" | "degraded";
  database: { status: "up" | "down"; kind?: "postgres" | "pglite"; latencyMs?: number; error?: string };
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
    return { status: "degraded", database: { status: "down", error: (error as Error).message }, time: new Date().toISOString() };
  }
}
