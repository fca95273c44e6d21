import type { EngineContext } from "../context.ts";
import { HistoryPruner } from "./prune-history.ts";

/** Free pages handed back per round (4 KiB pages: 32 MiB), so a big delete is reclaimed over a few rounds. */
const PAGES_PER_ROUND = 8_192;

/** One retention round: old history deleted in batches, then the space it took reclaimed. */
export async function runRetention(ctx: EngineContext, pruner: HistoryPruner): Promise<void> {
  const deleted = await pruner.prune();
  // Every round, not only after deletes: a large delete is reclaimed over several rounds.
  await ctx.journal.reclaimSpace(PAGES_PER_ROUND);
  if (Object.keys(deleted).length > 0) {
    ctx.log.info("old history deleted", {
      deleted,
      retentionDays: ctx.settings.retentionMs / 86_400_000,
      summaryRetentionDays: ctx.settings.summaryRetentionMs / 86_400_000,
    });
  }
}

/** Runs retention every `retentionIntervalMs` of the clock (and once at start); the stop waits for a round in progress. */
export function startRetention(ctx: EngineContext): () => Promise<void> {
  const pruner = new HistoryPruner(ctx);
  let cancel: () => void = () => {};
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const round = () => {
    current = runRetention(ctx, pruner)
      .catch((error) => ctx.log.error("deleting old history failed; retrying next round", { error }))
      .finally(() => {
        if (!stopped) cancel = ctx.clock.setTimer(ctx.settings.retentionIntervalMs, round);
      });
  };
  round();
  return async () => {
    stopped = true;
    cancel();
    await current;
  };
}
