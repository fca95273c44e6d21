import type { Change, EngineContext } from "../context.ts";
import { type HealthState, type Host, type Session } from "../model.ts";
import { HEALTH_GATE_MODES, type HealthGateMode } from "../../protocol/health-gate-modes.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import type { HealthCheckReason } from "../../protocol/host-work.ts";
import { enqueueWork } from "../work/enqueue-work.ts";
import type { WorkItem } from "../work/work-item.ts";
import type { ReadOutcome } from "../work/work-outcome.ts";

/**
 * The broker's half of the health gate (the agent's is src/hosts/health): a host whose agent runs
 * the gate is `checking` from a session's end until its check reports, and takes no new session
 * meanwhile; a clean (or cleaned) host is `healthy` again, a dirty one `unhealthy` with the report
 * until an admin clears it or a re-check passes.
 */

/** The gate the host's agent runs, as its inventory says; agents that say nothing run none. */
export function healthGateOf(host: Host): HealthGateMode {
  const mode = host.inventory.health_gate;
  return HEALTH_GATE_MODES.includes(mode as HealthGateMode) ? (mode as HealthGateMode) : "off";
}

/** After a session ended: each of its hosts that runs the gate is checked before it takes another session. */
export function checkHostsAfterSession(ctx: EngineContext, change: Change, session: Session): void {
  for (const hostId of new Set(Object.values(session.assignments ?? {}))) {
    const host = ctx.state.hosts.get(hostId);
    if (host) requestHealthCheck(ctx, change, host, "session-ended", session.id);
  }
}

/**
 * Queues a check of the host. The host-wide part (namespaces, links, addresses, routes, sysctls)
 * only runs when no session holds the host: what it finds could belong to a session still running.
 */
export function requestHealthCheck(
  ctx: EngineContext,
  change: Change,
  host: Host,
  reason: HealthCheckReason,
  sessionId: string | null = null,
): boolean {
  if (healthGateOf(host) === "off") return false;
  enqueueWork(ctx, change, {
    hostId: host.id,
    kind: "health-check",
    payload: { mode: "check", reason, session_id: sessionId, host_wide: host.holders.size === 0 },
  });
  setHealth(ctx, change, host, "checking", host.healthReport, host.healthCheckedAt);
  return true;
}

/** An admin accepts the host as it is: healthy at once, and the agent takes its state as the new baseline. */
export function clearHostHealth(ctx: EngineContext, change: Change, host: Host): void {
  if (healthGateOf(host) !== "off") {
    enqueueWork(ctx, change, { hostId: host.id, kind: "health-check", payload: { mode: "baseline", reason: "cleared" } });
  }
  setHealth(ctx, change, host, "healthy", null, host.healthCheckedAt);
  change.emit("host.health-cleared", { hostId: host.id }, { name: host.name });
}

/** The agent reported a check: the host is healthy, unhealthy with the report, or still checking when another check is queued. */
export function applyHealthCheckResult(ctx: EngineContext, change: Change, item: WorkItem, outcome: ReadOutcome<"health-check">): void {
  const host = ctx.state.hosts.get(item.hostId);
  if (!host || item.payload.mode !== "check") return;
  const report: Record<string, unknown> = outcome.ok && "clean" in outcome.result
    ? outcome.result
    : { clean: false, error: (outcome.ok ? null : outcome.error) ?? "the health check failed", differences: [] };
  const clean = report.clean === true;
  const pending = ctx.state.work.openForHost(host.id).some((other) => other.kind === "health-check" && other.payload.mode === "check");
  const now = ctx.clock.now();
  setHealth(ctx, change, host, pending ? "checking" : clean ? "healthy" : "unhealthy", {
    ...report,
    reason: item.payload.reason,
    session_id: item.payload.session_id ?? null,
  }, now);
  const differences = Array.isArray(report.differences) ? report.differences : [];
  change.emit(clean ? "host.health-checked" : "host.unhealthy", { hostId: host.id }, {
    name: host.name,
    clean,
    sessionId: item.payload.session_id ?? null,
    differences,
    ...(report.error ? { error: report.error } : {}),
  });
  if (clean) promoteWaitingSessions(ctx, change);
}

/** Housekeeping: idle, healthy hosts with a periodic check get one when it is due. */
export function requestPeriodicHealthChecks(ctx: EngineContext, change: Change): void {
  const now = ctx.clock.now();
  for (const host of ctx.state.hosts.all()) {
    if (host.healthCheckEveryS === null || !host.online || host.healthState !== "healthy" || host.holders.size > 0) continue;
    if (host.healthCheckedAt !== null && now - host.healthCheckedAt < host.healthCheckEveryS * 1000) continue;
    requestHealthCheck(ctx, change, host, "periodic");
  }
}

function setHealth(
  ctx: EngineContext,
  change: Change,
  host: Host,
  state: HealthState,
  report: Record<string, unknown> | null,
  checkedAt: number | null,
): void {
  change.write(ctx.state.hosts.setHealth(host, state, report, checkedAt));
}
