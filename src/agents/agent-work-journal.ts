import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const OutcomeSchema = z.object({ ok: z.boolean(), result: z.record(z.string(), z.unknown()).nullable(), error: z.string().nullable() });
const EntrySchema = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.enum(["running", "interrupted", "finished"]),
  nextSeq: z.number().int(),
  outcome: OutcomeSchema.nullable(),
  updatedAt: z.number(),
});

export type WorkOutcomeRecord = z.infer<typeof OutcomeSchema>;
export type AgentJournalEntry = z.infer<typeof EntrySchema>;

const KEEP_FINISHED = 2000;

/**
 * The agent's memory of the work it was given, one small file per work id, so a redelivered item
 * is never executed twice: a finished one has its outcome resent; one that was running when the
 * agent died is marked `interrupted` at start and its executor decides what that means.
 */
export class AgentWorkJournal {
  readonly #folder: string;
  readonly #entries = new Map<string, AgentJournalEntry>();

  constructor(workDir: string) {
    this.#folder = join(workDir, "work");
    mkdirSync(this.#folder, { recursive: true, mode: 0o700 });
    for (const file of readdirSync(this.#folder)) {
      if (!file.endsWith(".json")) continue;
      try {
        const entry = EntrySchema.parse(JSON.parse(readFileSync(join(this.#folder, file), "utf8")));
        if (entry.state === "running") entry.state = "interrupted";
        this.#entries.set(entry.id, entry);
      } catch {
        rmSync(join(this.#folder, file), { force: true });
      }
    }
    this.#prune();
  }

  get(id: string): AgentJournalEntry | undefined {
    return this.#entries.get(id);
  }

  start(id: string, kind: string, now: number): AgentJournalEntry {
    const entry: AgentJournalEntry = {
      id,
      kind,
      state: "running",
      nextSeq: this.#entries.get(id)?.nextSeq ?? 1,
      outcome: null,
      updatedAt: now,
    };
    this.#save(entry);
    return entry;
  }

  finish(id: string, outcome: WorkOutcomeRecord, nextSeq: number, now: number): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    this.#save({ ...entry, state: "finished", outcome, nextSeq, updatedAt: now });
  }

  #save(entry: AgentJournalEntry): void {
    this.#entries.set(entry.id, entry);
    const file = join(this.#folder, `${entry.id}.json`);
    writeFileSync(`${file}.tmp`, JSON.stringify(entry));
    renameSync(`${file}.tmp`, file);
  }

  #prune(): void {
    const finished = [...this.#entries.values()].filter((entry) => entry.state === "finished").sort((a, b) => a.updatedAt - b.updatedAt);
    for (const entry of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) {
      this.#entries.delete(entry.id);
      rmSync(join(this.#folder, `${entry.id}.json`), { force: true });
    }
  }
}
