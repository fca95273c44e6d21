import type { EngineContext } from "../context.ts";
import { matchGang } from "../gang-matcher.ts";
import { acceptsNewSessions, type Host, hostState, type Requirement, type Session } from "../model.ts";
import { describeRequirement } from "../requirements.ts";
import { bookingInTheWay } from "../time/host-calendar.ts";

export interface WaitExplanation {
  /** Waiting sessions ahead of this one that compete for at least one of its hosts. */
  position: number;
  /** Why it is not active yet, in words. */
  reason: string;
  /** True when no registered host (or set of hosts) could ever serve it. */
  unsatisfiable: boolean;
}

/** Answers "why am I waiting?" for a waiting session, most fundamental cause first. */
export function explainWait(ctx: EngineContext, session: Session): WaitExplanation {
  const { queue } = ctx.state.sessions;
  const position = queue.countAhead(session);
  const pool = queue.pool(session.poolKey);
  const candidates = pool ? queue.candidates(pool) : [];

  const missing = session.requirements.findIndex((_, index) => (candidates[index]?.length ?? 0) === 0);
  if (missing >= 0) return { position, reason: noHostReason(session.requirements[missing]!, ctx), unsatisfiable: true };
  if (!matchGang(candidates)) {
    return {
      position,
      reason: `needs ${session.requirements.length} distinct hosts at once; the registered hosts cannot cover every role`,
      unsatisfiable: true,
    };
  }

  const inService = candidates.map((hosts) => hosts.filter((host) => hostState(host) === "online"));
  if (!matchGang(inService)) {
    const blocking = candidates[inService.findIndex((hosts) => hosts.length === 0)] ?? candidates.flat();
    return { position, reason: unavailableReason(blocking), unsatisfiable: false };
  }
  if (position > 0) return { position, reason: `${position} session${position === 1 ? "" : "s"} ahead`, unsatisfiable: false };
  const usable = inService.map((hosts) => hosts.filter((host) => host.healthState !== "checking"));
  if (!matchGang(usable)) {
    return { position, reason: "matching hosts are being health-checked after their last session", unsatisfiable: false };
  }
  const booked = bookingInTheWay(ctx, inService.flat(), session, ctx.clock.now());
  if (booked) return { position, reason: bookingReason(session, booked.host, booked.booking), unsatisfiable: false };
  return { position, reason: heldReason(session, candidates), unsatisfiable: false };
}

/** Every host held: says so; some roles could start now: names the held hosts the others wait for. */
function heldReason(session: Session, candidates: readonly (readonly Host[])[]): string {
  const blocked = session.requirements.flatMap((requirement, index) => {
    const hosts = candidates[index] ?? [];
    if (hosts.some(acceptsNewSessions)) return [];
    const names = hosts.map((host) => host.name);
    return [
      names.length === 1
        ? `${requirement.role} needs ${names[0]}, which is held by active sessions`
        : `${requirement.role} needs one of ${names.join(", ")}, all held by active sessions`,
    ];
  });
  if (blocked.length === 0 || blocked.length === session.requirements.length) return "all matching hosts are held by active sessions";
  return blocked.join("; ");
}

function bookingReason(session: Session, host: Host, booking: Session): string {
  const window = `from ${new Date(booking.startAt!).toISOString()} to ${new Date(booking.startAt! + booking.walltimeMs!).toISOString()}`;
  const why = session.walltimeMs === null
    ? "this session has no walltime, so it cannot start before the booking ends"
    : `this session's walltime of ${session.walltimeMs / 1000} s would run into it`;
  return `host "${host.name}" is booked ${window} by reservation ${booking.id}; ${why}`;
}

export function noHostReason(requirement: Requirement, ctx: EngineContext): string {
  const hosts = [...ctx.state.hosts.all()];
  if (hosts.length === 0) return "no host is registered";
  if (requirement.host !== null && !hosts.some((host) => host.name === requirement.host || host.id === requirement.host)) {
    return `no registered host is named "${requirement.host}"`;
  }
  if (requirement.runtime !== null && !hosts.some((host) => host.runtimes.some((runtime) => runtime.name === requirement.runtime))) {
    return `no registered host has runtime ${requirement.runtime}`;
  }
  return `no registered host matches role ${requirement.role} (${describeRequirement(requirement)})`;
}

export function unavailableReason(hosts: readonly Host[]): string {
  const states = new Set(hosts.map(hostState));
  if (states.size === 1 && states.has("offline")) return "all matching hosts are offline";
  if (states.size === 1 && states.has("maintenance")) return "matching hosts are in maintenance";
  if (states.has("draining")) return "matching hosts are draining";
  if (states.has("unhealthy")) return "matching hosts are unhealthy";
  return "matching hosts are offline or in maintenance";
}
