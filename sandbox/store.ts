import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * Sandbox persistence: named collections of JSON records kept in memory, with every change appended
 * synchronously to `journal.jsonl` before the caller answers. On open the snapshot is loaded, the journal
 * replayed and both compacted into a fresh snapshot, so start-up stays fast and no database is needed.
 * Records are absolute (put/del), so replaying a journal twice over a snapshot is harmless.
 */

export type CollectionName =
  | "meta"
  | "sessions"
  | "cards"
  | "tokens"
  | "public_tokens"
  | "idempotency"
  | "deliveries"
  | "jobs"
  | "requests"
  | "taxpayers"
  | "npd_checks"
  | "npd_bindings"
  | "receipts";

type JournalLine = { op: "put"; c: CollectionName; id: string; v: unknown } | { op: "del"; c: CollectionName; id: string } | { op: "clear"; c: CollectionName };

const SNAPSHOT = "snapshot.json";
const JOURNAL = "journal.jsonl";
const COMPACT_AFTER_BYTES = 8 * 1024 * 1024;

export class Store {
  private readonly collections = new Map<CollectionName, Map<string, unknown>>();
  private fd: number | null = null;
  private journalBytes = 0;

  constructor(readonly dir: string) {}

  open(): void {
    mkdirSync(this.dir, { recursive: true });
    const snapshotPath = path.join(this.dir, SNAPSHOT);
    if (existsSync(snapshotPath)) {
      const data = JSON.parse(readFileSync(snapshotPath, "utf8")) as Record<string, Record<string, unknown>>;
      for (const [name, records] of Object.entries(data)) {
        const map = this.collection(name as CollectionName);
        for (const [id, value] of Object.entries(records)) map.set(id, value);
      }
    }
    const journalPath = path.join(this.dir, JOURNAL);
    if (existsSync(journalPath)) {
      const lines = readFileSync(journalPath, "utf8").split("\n");
      for (const line of lines) {
        if (line.trim() === "") continue;
        let entry: JournalLine;
        try {
          entry = JSON.parse(line) as JournalLine;
        } catch {
          // A torn last line from a crash mid-append: everything before it is intact.
          continue;
        }
        this.apply(entry);
      }
    }
    this.compact();
  }

  private collection(name: CollectionName): Map<string, unknown> {
    let map = this.collections.get(name);
    if (!map) {
      map = new Map();
      this.collections.set(name, map);
    }
    return map;
  }

  private apply(entry: JournalLine): void {
    const map = this.collection(entry.c);
    if (entry.op === "put") map.set(entry.id, entry.v);
    else if (entry.op === "del") map.delete(entry.id);
    else map.clear();
  }

  private append(entry: JournalLine): void {
    if (this.fd === null) throw new Error("store is closed");
    const line = JSON.stringify(entry) + "\n";
    const bytes = Buffer.from(line, "utf8");
    writeSync(this.fd, bytes);
    this.journalBytes += bytes.length;
    this.apply(entry);
    if (this.journalBytes > COMPACT_AFTER_BYTES) this.compact();
  }

  /** Returns a copy: changing it has no effect until put() is called. */
  get<T>(c: CollectionName, id: string): T | undefined {
    const value = this.collection(c).get(id);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  has(c: CollectionName, id: string): boolean {
    return this.collection(c).has(id);
  }

  /** Copies of every record, in insertion order. */
  all<T>(c: CollectionName): T[] {
    return [...this.collection(c).values()].map((v) => structuredClone(v) as T);
  }

  ids(c: CollectionName): string[] {
    return [...this.collection(c).keys()];
  }

  size(c: CollectionName): number {
    return this.collection(c).size;
  }

  put<T>(c: CollectionName, id: string, value: T): void {
    // Round-trip through JSON so memory holds exactly what a restart would read back.
    this.append({ op: "put", c, id, v: JSON.parse(JSON.stringify(value)) as unknown });
  }

  del(c: CollectionName, id: string): void {
    if (!this.collection(c).has(id)) return;
    this.append({ op: "del", c, id });
  }

  clear(c: CollectionName): void {
    this.append({ op: "clear", c });
  }

  /** Writes an atomic snapshot and starts an empty journal. */
  compact(): void {
    const data: Record<string, Record<string, unknown>> = {};
    for (const [name, map] of this.collections) data[name] = Object.fromEntries(map);
    const snapshotPath = path.join(this.dir, SNAPSHOT);
    const tmp = `${snapshotPath}.${process.pid}.tmp`;
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, JSON.stringify(data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, snapshotPath);
    if (this.fd !== null) closeSync(this.fd);
    const journalPath = path.join(this.dir, JOURNAL);
    writeFileSync(journalPath, "");
    this.fd = openSync(journalPath, "a");
    this.journalBytes = 0;
  }

  /** Flushes to a snapshot and releases the journal; used on graceful shutdown. */
  close(): void {
    if (this.fd === null) return;
    this.compact();
    if (this.fd !== null) {
      fsyncSync(this.fd);
      closeSync(this.fd);
    }
    this.fd = null;
  }

  journalSize(): number {
    const journalPath = path.join(this.dir, JOURNAL);
    return existsSync(journalPath) ? statSync(journalPath).size : 0;
  }
}
