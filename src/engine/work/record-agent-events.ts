import { and, eq } from "drizzle-orm";
import { workItems, workOutput } from "../../../db/schema.ts";
import type { AgentEvent } from "../../protocol/agent-schemas.ts";
import { Change, type EngineContext } from "../context.ts";
import { ConflictError, NotFoundError } from "../errors.ts";
import type { Host } from "../model.ts";
import { completeWork } from "./complete-work.ts";
import { isOpen, type WorkItem } from "./work-item.ts";

/**
 * Records an agent's events. Per work item they must come in order (seq 1, 2, …). A resent event
 * identical to the one recorded is acknowledged as a duplicate and changes nothing; a gap, a
 * different event under a recorded seq, or anything after the result is refused (409) — and then
 * nothing of the batch is applied.
 */
export function recordAgentEvents(
  ctx: EngineContext,
  host: Host,
  events: readonly AgentEvent[],
): Promise<{ accepted: number; duplicates: number }> {
  return ctx.state.work.inHostOrder(host.id, () => recordInOrder(ctx, host, events));
}

async function recordInOrder(
  ctx: EngineContext,
  host: Host,
  events: readonly AgentEvent[],
): Promise<{ accepted: number; duplicates: number }> {
  const next = new Map<string, number>();
  const fresh: { event: AgentEvent; item: WorkItem }[] = [];
  let duplicates = 0;
  for (const event of events) {
    const item = await findHostWork(ctx, host, event.work_id);
    const expected = next.get(item.id) ?? item.lastSeq + 1;
    if (event.seq < expected) {
      await assertSameAsRecorded(ctx, item, event);
      duplicates++;
      continue;
    }
    if (event.seq > expected) {
      throw new ConflictError(`Work "${item.id}" expects event seq ${expected} next, got ${event.seq}`, {
        work_id: item.id,
        expected_seq: expected,
      });
    }
    if (!isOpen(item) || (next.has(item.id) && fresh.some((entry) => entry.item === item && entry.event.type === "result"))) {
      throw new ConflictError(`Work "${item.id}" is already finished; event seq ${event.seq} comes after its result`, {
        work_id: item.id,
        finished: true,
      });
    }
    next.set(item.id, event.seq + 1);
    fresh.push({ event, item });
  }

  const change = new Change(ctx);
  const now = ctx.clock.now();
  const outputFor = new Set<WorkItem>();
  for (const { event, item } of fresh) {
    if (event.type === "output") {
      change.write(ctx.state.work.recordOutput(item, event, now));
      outputFor.add(item);
    } else {
      completeWork(ctx, change, item, { ok: event.ok, result: event.result ?? null, error: event.error ?? null }, event.seq);
    }
  }
  for (const item of new Set(fresh.map((entry) => entry.item))) change.write(ctx.state.work.saveProgress(item));
  change.afterCommit(() => {
    for (const item of outputFor) ctx.state.work.notifyOutput(item);
  });
  await change.commit();
  return { accepted: fresh.length, duplicates };
}

async function findHostWork(ctx: EngineContext, host: Host, workId: string): Promise<WorkItem> {
  const open = ctx.state.work.findOpen(workId);
  const item = open ?? (await ctx.orm.select().from(workItems).where(eq(workItems.id, workId)).limit(1))[0];
  // Another host's work is reported exactly like unknown work: agents never learn of each other's work.
  if (!item || item.hostId !== host.id) {
    throw new NotFoundError(`Cannot find work "${workId}" for agent "${host.name}"`, { work_id: workId });
  }
  return item;
}

async function assertSameAsRecorded(ctx: EngineContext, item: WorkItem, event: AgentEvent): Promise<void> {
  const differs = () =>
    new ConflictError(`Event seq ${event.seq} of work "${item.id}" was already recorded with different content`, {
      work_id: item.id,
      expected_seq: item.lastSeq + 1,
      finished: !isOpen(item),
    });
  if (event.type === "result") {
    const same = !isOpen(item) && item.lastSeq === event.seq && (item.state === "done") === event.ok &&
      JSON.stringify(item.result ?? null) === JSON.stringify(event.result ?? null);
    if (!same) throw differs();
    return;
  }
  const [row] = await ctx.orm.select().from(workOutput).where(and(eq(workOutput.workId, item.id), eq(workOutput.seq, event.seq))).limit(1);
  if (!row || row.stream !== event.stream || row.text !== event.text || row.node !== (event.node ?? null)) throw differs();
}
