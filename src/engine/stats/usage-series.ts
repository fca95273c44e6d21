import { and, desc, gt, isNull, lt, or } from "drizzle-orm";
import { sessions } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { effectiveCapacity } from "../model.ts";

/** Sessions looked at per question: a month of busy CI fits; beyond it the answer says it is partial. */
const MAX_SESSIONS = 20_000;
/** Upper edges (seconds) of the wait-time histogram's bins; the last bin is open. */
export const WAIT_BINS_S = [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21_600] as const;

export interface UsageWindow {
  from: number;
  to: number;
  bucketMs: number;
}

export interface UsageSeries extends UsageWindow {
  /** Start of each bucket. */
  times: number[];
  /** Per host: the share of its slots held during each bucket (0–1); null for buckets after now. */
  hosts: { name: string; busy: (number | null)[] }[];
  /** Sessions waiting in the queue, averaged over each bucket; null after now. */
  queueDepth: (number | null)[];
  /** Time from queueing to activation of the sessions activated in the window (reservations excluded). */
  waits: { count: number; medianS: number | null; p90S: number | null; bins: { upToS: number | null; count: number }[] };
  /** True when the window held more sessions than are looked at (the oldest were left out). */
  partial: boolean;
}

/** Host utilisation, queue depth and wait times over a window, from the sessions stored. */
export async function usageSeries(ctx: EngineContext, window: UsageWindow): Promise<UsageSeries> {
  const { from, to, bucketMs } = window;
  const now = ctx.clock.now();
  const rows = await ctx.orm
    .select()
    .from(sessions)
    .where(and(lt(sessions.createdAt, to), or(isNull(sessions.endedAt), gt(sessions.endedAt, from))))
    .orderBy(desc(sessions.createdAt))
    .limit(MAX_SESSIONS + 1);
  const count = Math.ceil((to - from) / bucketMs);
  const times = Array.from({ length: count }, (_, index) => from + index * bucketMs);
  const spread = (totals: number[], start: number, end: number, weight: number) => {
    const clippedEnd = Math.min(end, to, now);
    for (let index = Math.max(0, Math.floor((start - from) / bucketMs)); index < count; index++) {
      const bucketStart = times[index]!;
      if (bucketStart >= clippedEnd) break;
      const overlap = Math.min(clippedEnd, bucketStart + bucketMs) - Math.max(start, bucketStart);
      if (overlap > 0) totals[index]! += overlap * weight;
    }
  };
  const hosts = [...ctx.state.hosts.all()].sort((a, b) => (a.name < b.name ? -1 : 1));
  const held = new Map(hosts.map((host) => [host.id, new Array<number>(count).fill(0)]));
  const waiting = new Array<number>(count).fill(0);
  const waits: number[] = [];
  for (const row of rows.slice(0, MAX_SESSIONS)) {
    const end = row.endedAt ?? now;
    if (row.activatedAt !== null) {
      for (const hostId of Object.values(row.assignments ?? {})) {
        const totals = held.get(hostId);
        if (totals) spread(totals, row.activatedAt, end, 1);
      }
    }
    if (row.startAt !== null) continue;
    spread(waiting, row.createdAt, row.activatedAt ?? end, 1);
    if (row.activatedAt !== null && row.activatedAt >= from && row.activatedAt < to) waits.push((row.activatedAt - row.createdAt) / 1000);
  }
  const share = (total: number, index: number, slots: number) => (times[index]! >= now ? null : total / (bucketMs * Math.max(1, slots)));
  return {
    ...window,
    times,
    hosts: hosts.map((host) => ({
      name: host.name,
      busy: held.get(host.id)!.map((total, index) => share(total, index, effectiveCapacity(host))),
    })),
    queueDepth: waiting.map((total, index) => share(total, index, 1)),
    waits: waitSummary(waits),
    partial: rows.length > MAX_SESSIONS,
  };
}

function waitSummary(waits: number[]): UsageSeries["waits"] {
  const sorted = [...waits].sort((a, b) => a - b);
  const quantile = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : null);
  const bins = [...WAIT_BINS_S, null].map((upToS) => ({ upToS, count: 0 }));
  for (const wait of sorted) {
    const bin = WAIT_BINS_S.findIndex((edge) => wait <= edge);
    bins[bin === -1 ? WAIT_BINS_S.length : bin]!.count++;
  }
  return { count: sorted.length, medianS: quantile(0.5), p90S: quantile(0.9), bins };
}
