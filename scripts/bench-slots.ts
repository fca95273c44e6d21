/**
 * find_slot over 200 hosts with 2,000 bookings in a 7-day window, in process.
 * Usage: bun scripts/bench-slots.ts [--hosts 200] [--bookings 2000] [--runs 200]
 * Bookings (1–4 h, random starts over 7 days) are made through the real reservation path; each run
 * then asks for the earliest common slot of two pools (2 hosts of pool a + 1 of pool b, 3 h) from a
 * random start, 60 s steps.
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../db/connect.ts";
import { applyMigrations } from "../db/migrate.ts";
import { embeddedMigrations } from "../db/migrations.generated.ts";
import { systemClock } from "../src/clock.ts";
import { registerAgent } from "../src/engine/agents/register-agent.ts";
import { DEFAULT_ENGINE_SETTINGS } from "../src/engine/context.ts";
import { openEngine } from "../src/engine/engine.ts";
import { ConflictError } from "../src/engine/errors.ts";
import { createSession } from "../src/engine/sessions/create-session.ts";
import { findSlot } from "../src/engine/time/slots.ts";
import { silentLogger } from "../src/log.ts";
import { VERSION } from "../src/version.ts";
import { percentile } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    hosts: { type: "string", default: "200" },
    bookings: { type: "string", default: "2000" },
    runs: { type: "string", default: "200" },
  },
});
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
const db = await openDatabase({ url: ":memory:" });
await applyMigrations(db.client, embeddedMigrations);
const engine = await openEngine({
  orm: db.orm,
  writer: db.writer,
  clock: systemClock,
  log: silentLogger,
  settings: DEFAULT_ENGINE_SETTINGS,
  housekeeping: false,
});
const ctx = engine.ctx;
for (let index = 0; index < Number(values.hosts); index++) {
  await registerAgent(ctx, {
    name: `h${index}`,
    version: VERSION,
    labels: { pool: index % 2 ? "a" : "b" },
    runtimes: [{ name: "native", version: null }],
    capacity: 1,
    inventory: {},
  });
}
const base = Date.now() + 60_000;
let booked = 0;
let refused = 0;
while (booked < Number(values.bookings)) {
  const startAt = base + Math.floor(Math.random() * WEEK / 60_000) * 60_000;
  try {
    await createSession(ctx, {
      requirements: [{ role: "m1", labels: { pool: Math.random() < 0.5 ? "a" : "b" }, runtime: null, host: null }],
      priority: 0,
      client: {},
      idempotencyKey: null,
      compat: false,
      strict: false,
      owner: null,
      walltimeMs: (1 + Math.floor(Math.random() * 4)) * HOUR,
      startAt,
    });
    booked++;
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    refused++;
  }
}
const groups = [
  [
    { role: "r1", labels: { pool: "a" }, runtime: null, host: null },
    { role: "r2", labels: { pool: "a" }, runtime: null, host: null },
  ],
  [{ role: "gen", labels: { pool: "b" }, runtime: null, host: null }],
];
// A big gang (most of both pools at once) must search far into the week for a common gap.
const roles = (pool: string, count: number) =>
  Array.from({ length: count }, (_, index) => ({ role: `${pool}${index}`, labels: { pool }, runtime: null, host: null }));
const scenarios = [
  { label: "2 pools: 2 hosts of a + 1 of b, 3 h", groups, durationMs: 3 * HOUR },
  { label: "2 pools: 80 hosts of a + 80 of b, 6 h", groups: [roles("a", 80), roles("b", 80)], durationMs: 6 * HOUR },
];
process.stdout.write(`${values.hosts} hosts, ${booked} bookings over 7 days (${refused} overlapping requests refused while booking)\n`);
for (const scenario of scenarios) {
  const timings: number[] = [];
  let found = 0;
  for (let run = 0; run < Number(values.runs); run++) {
    const from = base + Math.floor(Math.random() * WEEK);
    const started = performance.now();
    const slot = findSlot(ctx, scenario.groups, scenario.durationMs, from, base + WEEK, 60_000);
    timings.push(performance.now() - started);
    if (slot) found++;
  }
  timings.sort((a, b) => a - b);
  process.stdout.write(
    `find_slot (${scenario.label}, 60 s steps), ${timings.length} runs, ${found} found a slot: ` +
      `p50 ${percentile(timings, 0.5).toFixed(2)} ms, p99 ${percentile(timings, 0.99).toFixed(2)} ms, max ${
        timings.at(-1)!.toFixed(2)
      } ms\n`,
  );
}
await engine.stop();
db.close();
