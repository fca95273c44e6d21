import { sleepOn } from "../../clock.ts";
import type { EngineContext } from "../context.ts";
import { findWork } from "./find-work.ts";
import { isOpen, type WorkItem } from "./work-item.ts";

/** Waits until a work item is finished (or `timeoutMs` passes, or the broker stops) and returns it as it is then. */
export async function awaitWork(ctx: EngineContext, workId: string, timeoutMs: number, signal?: AbortSignal): Promise<WorkItem> {
  const deadline = ctx.clock.now() + timeoutMs;
  for (;;) {
    const giveUp = new AbortController();
    const stops = [ctx.shutdown, giveUp.signal, ...(signal ? [signal] : [])];
    const woken = ctx.state.work.waitForOutput(
      `work:${workId}`,
      sleepOn(ctx.clock, Math.max(0, deadline - ctx.clock.now()), giveUp.signal),
      AbortSignal.any(stops),
    );
    const item = await findWork(ctx, workId);
    if (!isOpen(item) || ctx.clock.now() >= deadline || ctx.shutdown.aborted || signal?.aborted) {
      giveUp.abort();
      return item;
    }
    await woken;
    giveUp.abort();
  }
}
