import { sleepOn } from "../../clock.ts";
import { holdingPoll } from "../agents/agent-heartbeat.ts";
import { Change, type EngineContext } from "../context.ts";
import type { Host } from "../model.ts";
import type { WorkDelivery } from "../../protocol/agent-schemas.ts";
import { toDelivery } from "./work-item.ts";

/**
 * Hands the host's agent its work: everything queued, plus anything dispatched earlier that the
 * agent does not report as running (the delivery was lost, or the agent restarted). Delivery is
 * at least once; the agent executes idempotently by work id.
 */
export async function takeWork(ctx: EngineContext, host: Host, runningOnAgent: ReadonlySet<string>): Promise<WorkDelivery[]> {
  const now = ctx.clock.now();
  const change = new Change(ctx);
  const deliveries: WorkDelivery[] = [];
  const pending = ctx.state.work.openForHost(host.id).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const item of pending) {
    if (item.state === "dispatched" && runningOnAgent.has(item.id)) continue;
    change.write(ctx.state.work.dispatch(item, now));
    if (item.attempts > 1) {
      change.emit("work.redelivered", { hostId: host.id, labId: item.labId, jobId: item.jobId }, {
        workId: item.id,
        attempt: item.attempts,
      });
    }
    deliveries.push(toDelivery(item));
  }
  await change.commit();
  return deliveries;
}

/**
 * Long poll: work at once if there is some, else wait up to `waitMs` for it (or the broker's
 * shutdown, or `closed`: the agent's connection went away, so nothing would reach it).
 */
export async function pollForWork(
  ctx: EngineContext,
  host: Host,
  runningOnAgent: ReadonlySet<string>,
  waitMs: number,
  closed?: AbortSignal,
): Promise<WorkDelivery[]> {
  const immediate = await takeWork(ctx, host, runningOnAgent);
  if (immediate.length > 0 || waitMs <= 0 || ctx.shutdown.aborted) return immediate;
  const giveUp = new AbortController();
  await holdingPoll(
    ctx,
    host,
    () =>
      ctx.state.work.waitFor(
        host.id,
        sleepOn(ctx.clock, waitMs, giveUp.signal),
        closed ? AbortSignal.any([ctx.shutdown, closed]) : ctx.shutdown,
      ),
  );
  giveUp.abort();
  if (closed?.aborted) return [];
  return takeWork(ctx, host, runningOnAgent);
}
