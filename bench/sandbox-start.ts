/**
 * How long the Bank 131 sandbox takes from spawn to a healthy /sandbox/health (the goal: < 2 s),
 * cold (fresh data dir) and warm (restart over a store that already holds sessions and deliveries).
 *
 *   npm run bench:sandbox [-- --runs 10 --sessions 200]
 *
 * Numbers only: nothing is asserted.
 */
import { parseArgs } from "node:util";
import { startSandbox } from "../tests/helpers/sandbox-process";

const { values } = parseArgs({ options: { runs: { type: "string", default: "10" }, sessions: { type: "string", default: "200" } } });
const RUNS = Number(values.runs);
const SESSIONS = Number(values.sessions);

function summary(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return `${label.padEnd(34)} p50 ${at(0.5).toFixed(0).padStart(5)} ms   max ${sorted.at(-1)!.toFixed(0).padStart(5)} ms   (n=${samples.length})`;
}

async function main() {
  const cold: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const sandbox = await startSandbox();
    cold.push(sandbox.startupMs);
    await sandbox.stop();
  }

  const sandbox = await startSandbox();
  try {
    const card = await sandbox.control.card("2200240000014940");
    for (let i = 0; i < SESSIONS; i++) {
      await sandbox.api("session/init/payout", {
        payout_details: { type: "card", card: { type: "encrypted_card", encrypted_card: { number_hash: card.number_hash } } },
        amount_details: { amount: 10_000 + i, currency: "rub" },
      });
    }
    const warm: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      await sandbox.restart();
      warm.push(sandbox.startupMs);
    }
    console.log(summary("cold start (empty store)", cold));
    console.log(summary(`warm start (${SESSIONS} sessions in store)`, warm));
  } finally {
    await sandbox.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
