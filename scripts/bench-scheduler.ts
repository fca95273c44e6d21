/**
 * Scheduler decision time with 500 hosts and 10,000 waiting sessions, in process.
 * Usage: bun scripts/bench-scheduler.ts [--hosts 500] [--waiting 10000] [--frees 300]
 * Every host is busy; each round ends one active session and times the promotion pass that
 * decides who gets the freed host (mixed requirements: any host, labels, runtimes, 2-host gangs).
 */
import { parseArgs } from "node:util";
import { openDatabase } from "../db/connect.ts";
import { applyMigrations } from "../db/migrate.ts";
import { embeddedMigrations } from "../db/migrations.generated.ts";
import { systemClock } from "../src/clock.ts";
import { registerAgent } from "../src/engine/agents/register-agent.ts";
import { Change, DEFAULT_ENGINE_SETTINGS } from "../src/engine/context.ts";
import { openEngine } from "../src/engine/engine.ts";
import type { Requirement } from "../src/engine/model.ts";
import type { RuntimeName } from "../src/protocol/runtimes.ts";
import { promoteWaitingSessions } from "../src/engine/scheduler.ts";
import { createSession } from "../src/engine/sessions/create-session.ts";
import { endSessionIn } from "../src/engine/sessions/end-session.ts";
import { silentLogger } from "../src/log.ts";
import { VERSION } from "../src/version.ts";
import { percentile } from "./bench-support.ts";

const { values } = parseArgs({
  options: {
    hosts: { type: "string", default: "500" },
    waiting: { type: "string", default: "10000" },
    frees: { type: "string", default: "300" },
  },
});
const hostCount = Number(values.hosts);
const waitingCount = Number(values.waiting);

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

const SITES = ["a", "b", "c", "d", "e"];
const NOS = ["frr", "eos", "linux"];
for (let index = 0; index < hostCount; index++) {
  const runtimes: RuntimeName[] = index % 4 === 0 ? ["native", "netlab"] : index % 4 === 1 ? ["native", "containerlab"] : ["native"];
  await registerAgent(ctx, {
    name: `host-${index}`,
    version: VERSION,
    labels: { site: SITES[index % SITES.length]!, nos: NOS[index % NOS.length]! },
    runtimes: runtimes.map((name) => ({ name, version: null })),
    capacity: 1,
    inventory: {},
  });
}

const requirementMix = (index: number): Requirement[] => {
  const base = { labels: {}, runtime: null, host: null };
  switch (index % 10) {
    case 0:
    case 1:
      return [{ ...base, role: "m1", labels: { site: SITES[index % SITES.length]! } }];
    case 2:
      return [{ ...base, role: "m1", runtime: "netlab" }];
    case 3:
      return [
        { ...base, role: "r1", labels: { nos: "frr" } },
        { ...base, role: "r2", labels: { nos: "frr" } },
      ];
    default:
      return [{ ...base, role: "m1" }];
  }
};

let index = 0;
const create = () =>
  createSession(ctx, {
    requirements: requirementMix(index++),
    priority: index % 50 === 0 ? 1 : 0,
    client: {},
    idempotencyKey: null,
    compat: false,
    strict: false,
    owner: null,
  });
while (ctx.state.sessions.queue.size < waitingCount) await Promise.all(Array.from({ length: 200 }, create));

const active = () => [...ctx.state.sessions.all()].filter((session) => session.state === "active");
const passes: number[] = [];
for (let round = 0; round < Number(values.frees); round++) {
  const victims = active();
  const victim = victims[Math.floor(Math.random() * victims.length)]!;
  const change = new Change(ctx);
  endSessionIn(ctx, change, victim, "released");
  const started = performance.now();
  promoteWaitingSessions(ctx, change);
  passes.push(performance.now() - started);
  await change.commit();
  await create();
}
const arrivals: number[] = [];
for (let round = 0; round < 300; round++) {
  const change = new Change(ctx);
  const started = performance.now();
  promoteWaitingSessions(ctx, change);
  arrivals.push(performance.now() - started);
}
passes.sort((a, b) => a - b);
arrivals.sort((a, b) => a - b);
const format = (samples: number[]) =>
  `p50 ${percentile(samples, 0.5).toFixed(3)} ms, p99 ${percentile(samples, 0.99).toFixed(3)} ms, max ${samples.at(-1)!.toFixed(3)} ms`;
process.stdout.write(
  `${hostCount} hosts (all busy), ${ctx.state.sessions.queue.size} waiting sessions in ${
    [...ctx.state.sessions.queue.pools()].length
  } pools\n` +
    `promotion pass after a host frees (${passes.length} rounds): ${format(passes)}\n` +
    `promotion pass with nothing free (an arrival): ${format(arrivals)}\n`,
);
await engine.stop();
db.close();
