import type { BatchExecutor } from "../../db/batch-executor.ts";
import type { Orm } from "../../db/connect.ts";
import { createHotStatements } from "../../db/hot-statements.ts";
import type { Clock } from "../clock.ts";
import type { Logger } from "../log.ts";
import { ensureBootstrapAdmin } from "./access/bootstrap-admin.ts";
import { TokenRegistry } from "./access/token-registry.ts";
import { ensureEnrollmentToken } from "./agents/enrollment.ts";
import { BrokerState } from "./broker-state.ts";
import { Change, type EngineContext, type EngineSettings } from "./context.ts";
import { EventLog } from "./event-log.ts";
import { persistLastSeen, startHousekeeping } from "./housekeeping.ts";
import { startRetention } from "./retention/retention-loop.ts";
import { promoteWaitingSessions } from "./scheduler.ts";
import { hashToken } from "./tokens.ts";
import { WriteJournal } from "./write-journal.ts";

export interface Engine {
  ctx: EngineContext;
  /** The enrollment token generated at this start (first start without one configured), to show once. */
  generatedEnrollToken?: string;
  /** The bootstrap admin token generated at this start (first start without one configured), to show once. */
  generatedAdminToken?: string;
  /** Ends long polls and event streams (first step of a graceful stop). */
  beginShutdown(): void;
  /** Accepts this enrollment token too (for `serve`'s own agent; not stored). */
  allowEnrollmentToken(token: string): void;
  /** Stops housekeeping, persists last-seen times and waits for pending commits. */
  stop(): Promise<void>;
}

export interface OpenEngineOptions {
  orm: Orm;
  writer: BatchExecutor;
  clock: Clock;
  log: Logger;
  settings: EngineSettings;
  enrollToken?: string;
  /** The bootstrap admin's token (`--admin-token`); generated at the first start without it. */
  adminToken?: string;
  /** Run housekeeping and retention on the clock (off in tests that call them themselves). */
  housekeeping?: boolean;
}

/** Loads the state from the database and starts the broker's engine. */
export async function openEngine(options: OpenEngineOptions): Promise<Engine> {
  const { orm, clock, log, settings } = options;
  const now = clock.now();
  const enrollment = await ensureEnrollmentToken(orm, options.enrollToken, now);
  const tokens = await TokenRegistry.load(orm);
  const admin = await ensureBootstrapAdmin(orm, tokens, options.adminToken, now);
  // A failed commit leaves memory ahead of the database: rebuild memory from the database.
  const journal = new WriteJournal(options.writer, log, async () => {
    ctx.state = await BrokerState.load(orm, clock.now());
  });
  const shutdown = new AbortController();
  const ctx: EngineContext = {
    shutdown: shutdown.signal,
    orm,
    statements: createHotStatements(orm),
    clock,
    log,
    settings,
    journal,
    state: await BrokerState.load(orm, now),
    events: await EventLog.open(orm),
    startedAt: now,
    health: { housekeepingRoundAt: null },
    extraEnrollmentTokenHashes: [],
    tokens,
  };
  const startup = new Change(ctx);
  promoteWaitingSessions(ctx, startup);
  await startup.commit();
  const stopHousekeeping = options.housekeeping === false ? () => {} : startHousekeeping(ctx);
  const stopRetention = options.housekeeping === false ? async () => {} : startRetention(ctx);
  return {
    ctx,
    ...(enrollment.generatedToken ? { generatedEnrollToken: enrollment.generatedToken } : {}),
    ...(admin.generatedToken ? { generatedAdminToken: admin.generatedToken } : {}),
    beginShutdown: () => shutdown.abort(),
    allowEnrollmentToken: (token) => ctx.extraEnrollmentTokenHashes.push(hashToken(token)),
    async stop() {
      shutdown.abort();
      stopHousekeeping();
      await stopRetention();
      const flush = new Change(ctx);
      persistLastSeen(ctx, flush);
      await flush.commit();
      await ctx.journal.settled();
    },
  };
}
