/**
 * Where a server's CPU went, from a V8 CPU profile (`npm run bench:webhooks -- --cpu-prof` writes one per
 * Next server to bench/profiles/): self time grouped by what the code belongs to — Next's runtime, the
 * app's own bundle, React, the database drivers, Node's internals, native code, GC.
 *
 *   npx tsx bench/cpu-profile-summary.ts bench/profiles/<file>.cpuprofile [more…]
 */
import { readFileSync } from "node:fs";
import path from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The first rule whose test matches names the group. Order matters: specific before general. */
const GROUPS: Array<[string, (url: string, fn: string) => boolean]> = [
  ["idle", (url, fn) => fn === "(idle)"],
  ["garbage collection", (url, fn) => fn === "(garbage collector)"],
  ["native and builtins (V8, OpenSSL, JSON, socket writev…)", (url) => url === ""],
  ["Next's runtime (node_modules/next)", (url) => url.includes("/node_modules/next/")],
  ["React (server)", (url) => /\/node_modules\/(react|react-dom|scheduler)\//.test(url) || url.includes("/compiled/react")],
  ["pg + pg-protocol", (url) => /\/node_modules\/pg(-protocol|-pool|-types)?\//.test(url)],
  ["@prisma/client + adapters", (url) => url.includes("/node_modules/@prisma/") || url.includes("/lib/generated/")],
  ["other node_modules", (url) => url.includes("/node_modules/")],
  ["app bundle (.next/server chunks)", (url) => url.includes("/.next") || url.includes("/server/chunks/")],
  ["Node internals (streams, undici, async hooks…)", (url) => url.startsWith("node:")],
  ["other", () => true],
];

function summarize(file: string): void {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const group = new Map<number, string>();
  for (const node of profile.nodes) {
    const { url, functionName } = node.callFrame;
    group.set(node.id, GROUPS.find(([, test]) => test(url, functionName))![0]);
  }
  const micros = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const name = group.get(id) ?? "other";
    micros.set(name, (micros.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0));
  });
  const total = [...micros.values()].reduce((sum, value) => sum + value, 0);
  const busy = total - (micros.get("idle") ?? 0);
  console.log(`\n${path.basename(file)}: ${(total / 1e6).toFixed(1)} s recorded, ${(busy / 1e6).toFixed(1)} s busy; self time as a share of the busy time:`);
  for (const [name, value] of [...micros].filter(([name]) => name !== "idle").sort((a, b) => b[1] - a[1])) {
    console.log(`  ${((100 * value) / busy).toFixed(1).padStart(5)} %  ${(value / 1000).toFixed(0).padStart(7)} ms  ${name}`);
  }
}

const files = process.argv.slice(2);
if (files.length === 0) throw new Error("usage: cpu-profile-summary.ts <file.cpuprofile>…");
for (const file of files) summarize(file);
