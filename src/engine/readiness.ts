import { count, sql } from "drizzle-orm";
import { embeddedMigrations } from "../../db/migrations.generated.ts";
import { brokerSettings } from "../../db/schema.ts";
import type { EngineContext } from "./context.ts";

export interface ReadinessCheck {
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; scheduler: ReadinessCheck };
}

const PROBE_KEY = "readiness_probe_at";
/** A write that takes longer than this counts as failing: clients would time out too. */
const WRITE_PROBE_TIMEOUT_MS = 2_000;
/** Housekeeping (reaping, promotion, time events) is late when silent this many rounds, and at least this long. */
const LATE_ROUNDS = 20;
const LATE_AFTER_MS = 5_000;

/**
 * Whether the broker can do its work, not only answer: a change commits (disk not full, not
 * recovering from a failed commit), the database schema is the one this broker was built for, and
 * the housekeeping loop that reaps, promotes and fires time events keeps running.
 */
export async function checkReadiness(ctx: EngineContext): Promise<Readiness> {
  const checks = {
    database: await probeWrite(ctx),
    migrations: await checkMigrations(ctx, embeddedMigrations.length),
    scheduler: checkHousekeeping(ctx),
  };
  return { ready: Object.values(checks).every((check) => check.ok), checks };
}

async function probeWrite(ctx: EngineContext): Promise<ReadinessCheck> {
  const now = ctx.clock.now();
  const write = ctx.journal.write([
    ctx.orm
      .insert(brokerSettings)
      .values({ key: PROBE_KEY, value: String(now), updatedAt: now })
      .onConflictDoUpdate({ target: brokerSettings.key, set: { value: String(now), updatedAt: now } }),
  ]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no commit within ${WRITE_PROBE_TIMEOUT_MS} ms`)), WRITE_PROBE_TIMEOUT_MS);
  });
  try {
    await Promise.race([write, timeout]);
    return { ok: true, detail: "a change commits" };
  } catch (error) {
    return { ok: false, detail: `changes cannot be stored: ${error instanceof Error ? error.message : String(error)}` };
  } finally {
    clearTimeout(timer);
  }
}

async function checkMigrations(ctx: EngineContext, expected: number): Promise<ReadinessCheck> {
  const [row] = await ctx.orm.select({ applied: count() }).from(sql`__drizzle_migrations`);
  const applied = row?.applied ?? 0;
  if (applied === expected) return { ok: true, detail: `${applied} migrations applied` };
  if (applied > expected) {
    return { ok: false, detail: `the database has ${applied} migrations, newer than this broker's ${expected}: run the newer broker` };
  }
  return { ok: false, detail: `${applied} of ${expected} migrations applied: run labbroker migrate` };
}

function checkHousekeeping(ctx: EngineContext): ReadinessCheck {
  const now = ctx.clock.now();
  const lateAfter = Math.max(LATE_AFTER_MS, LATE_ROUNDS * ctx.settings.housekeepingIntervalMs);
  const last = ctx.health.housekeepingRoundAt;
  if (last === null) {
    return now - ctx.startedAt <= lateAfter
      ? { ok: true, detail: "starting" }
      : { ok: false, detail: "housekeeping has not run since the broker started" };
  }
  if (now - last > lateAfter) return { ok: false, detail: `housekeeping last ran ${Math.round((now - last) / 1000)} s ago` };
  return { ok: true, detail: `housekeeping ran ${now - last} ms ago` };
}
