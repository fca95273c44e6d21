import { agentSilentFor } from "./agents/agent-liveness.ts";
import { Change, type EngineContext } from "./context.ts";
import { requestPeriodicHealthChecks } from "./hosts/health-gate.ts";
import { failLabWorkOnLostHosts } from "./labs/lab-deadlines.ts";
import { expireWarmLabs } from "./labs/warm-labs.ts";
import { promoteWaitingSessions } from "./scheduler.ts";
import { endSessionIn } from "./sessions/end-session.ts";
import { runTimeEvents } from "./time/time-events.ts";

/**
 * One round of housekeeping, on the injected clock: drops sessions whose client went quiet, turns
 * hosts whose agent stopped polling offline (a host is alive while its poll is held), applies the offline policy, destroys warm labs
 * past their time, and persists last-seen times. Freed hosts go to the next sessions in the same commit.
 */
export async function runHousekeeping(ctx: EngineContext): Promise<void> {
  const { state, settings } = ctx;
  const now = ctx.clock.now();
  const change = new Change(ctx);

  for (const session of [...state.sessions.all()]) {
    // A reservation needs no heartbeat until it starts; a session waiting on a request is not silent.
    if (session.state === "scheduled" || state.sessions.hasRequestInFlight(session.id)) continue;
    const timeout = session.state === "waiting" ? settings.waitingTimeoutMs : settings.activeTimeoutMs;
    if (now - session.lastSeenAt > timeout) endSessionIn(ctx, change, session, "expired");
  }

  for (const host of state.hosts.all()) {
    const silentFor = agentSilentFor(host, now);
    if (host.online && silentFor > settings.agentOfflineAfterMs) {
      change.write(state.hosts.goOffline(host));
      change.emit("host.offline", { hostId: host.id }, { name: host.name, silentForMs: silentFor, holders: [...host.holders] });
    }
    if (!host.online && settings.offlinePolicy === "fail" && silentFor > settings.agentOfflineAfterMs + settings.offlineGraceMs) {
      for (const sessionId of [...host.holders]) {
        const session = state.sessions.get(sessionId);
        if (session) endSessionIn(ctx, change, session, "host-lost");
      }
    }
  }

  failLabWorkOnLostHosts(ctx, change);
  expireWarmLabs(ctx, change);
  runTimeEvents(ctx, change);
  requestPeriodicHealthChecks(ctx, change);
  persistLastSeen(ctx, change);
  promoteWaitingSessions(ctx, change);
  await change.commit();
  ctx.health.housekeepingRoundAt = now;
}

/** Writes the last-seen times that changed in memory since the previous round. */
export function persistLastSeen(ctx: EngineContext, change: Change): void {
  const { state } = ctx;
  for (const statement of [...state.sessions.flushLastSeen(), ...state.hosts.flushLastSeen()]) change.write(statement);
}

/** Runs housekeeping every `housekeepingIntervalMs` of the clock until the returned stop is called. */
export function startHousekeeping(ctx: EngineContext): () => void {
  let cancel: () => void = () => {};
  let stopped = false;
  const schedule = () => {
    cancel = ctx.clock.setTimer(ctx.settings.housekeepingIntervalMs, () => {
      runHousekeeping(ctx)
        .catch((error) => ctx.log.error("housekeeping failed", { error }))
        .finally(() => {
          if (!stopped) schedule();
        });
    });
  };
  schedule();
  return () => {
    stopped = true;
    cancel();
  };
}
