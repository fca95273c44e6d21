import type { EngineContext } from "../engine/context.ts";
import type { BrokerEvent } from "../engine/event-log.ts";
import { RecentMap } from "../engine/recent-map.ts";
import type { BrokerMetrics } from "./broker-metrics.ts";
import type { HostBusyTime } from "./host-busy-time.ts";

/** Start times kept for durations measured between two events (deploys, destroys, work in flight). */
const STARTS_KEPT = 50_000;

interface Started {
  at: number;
  label: string;
}

/** Feeds the counters and histograms from committed events; returns the unsubscribe function. */
export function recordEventMetrics(ctx: EngineContext, metrics: BrokerMetrics, busy: HostBusyTime): () => void {
  const deploys = new RecentMap<string, Started>(STARTS_KEPT);
  const destroys = new RecentMap<string, Started>(STARTS_KEPT);
  const work = new RecentMap<string, Started>(STARTS_KEPT);
  const seconds = (from: number, to: number) => Math.max(0, to - from) / 1000;
  const runtimeOf = (labId: string | null | undefined) => (labId ? ctx.state.labs.get(labId)?.runtime : undefined) ?? "unknown";

  const onEvent = (event: BrokerEvent) => {
    const data = event.data;
    switch (event.type) {
      case "session.activated": {
        const session = event.sessionId ? ctx.state.sessions.find(event.sessionId) : undefined;
        // A reservation waits for its start time, not for the queue.
        if (session && session.startAt === null) metrics.waitSeconds.observe(seconds(session.createdAt, event.at));
        return;
      }
      case "session.ended": {
        const reason = String(data.reason);
        metrics.sessionsEnded.inc({ reason });
        const session = event.sessionId ? ctx.state.sessions.find(event.sessionId) : undefined;
        if (data.previous === "active" && session?.activatedAt != null) {
          metrics.sessionSeconds.observe({ reason }, seconds(session.activatedAt, event.at));
          busy.holdEnded(session, event.at);
        }
        return;
      }
      case "lab.deploying":
        if (event.labId) deploys.set(event.labId, { at: event.at, label: runtimeOf(event.labId) });
        return;
      case "lab.running":
      case "lab.failed": {
        const outcome = event.type === "lab.running" ? "running" : "failed";
        if (outcome === "failed") metrics.labFailures.inc({ runtime: runtimeOf(event.labId) });
        const started = event.labId ? deploys.get(event.labId) : undefined;
        if (started && event.labId) {
          deploys.delete(event.labId);
          metrics.labDeploySeconds.observe({ runtime: started.label, outcome }, seconds(started.at, event.at));
        }
        return;
      }
      case "lab.stopping":
        if (event.labId) destroys.set(event.labId, { at: event.at, label: runtimeOf(event.labId) });
        return;
      case "lab.inactive": {
        const started = event.labId ? destroys.get(event.labId) : undefined;
        if (started && event.labId) {
          destroys.delete(event.labId);
          metrics.labDestroySeconds.observe({ runtime: started.label }, seconds(started.at, event.at));
        }
        return;
      }
      case "job.finished":
        metrics.jobsFinished.inc({ outcome: String(data.outcome) });
        return;
      case "work.queued":
        work.set(String(data.workId), { at: event.at, label: String(data.kind) });
        return;
      case "work.finished": {
        const started = work.get(String(data.workId));
        if (!started) return;
        work.delete(String(data.workId));
        metrics.workSeconds.observe({ kind: started.label, ok: String(data.ok === true) }, seconds(started.at, event.at));
        return;
      }
    }
  };
  return ctx.events.subscribe({}, onEvent);
}
