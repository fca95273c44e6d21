import type { Change, EngineContext } from "../context.ts";
import { destroyLabIn } from "../labs/destroy-lab.ts";
import { enqueueDeploy } from "../labs/enqueue-deploy.ts";
import { transitionLab } from "../labs/lab-changes.ts";
import { acceptsNewSessions, type Host, type Session } from "../model.ts";
import { hostMatches } from "../requirements.ts";
import { activateSession } from "../scheduler.ts";
import { endSessionIn } from "../sessions/end-session.ts";
import { byScarcityLast } from "../gang-matcher.ts";
import { holdEnd, hostFreeDuring } from "./host-calendar.ts";

/**
 * Everything that happens because time passed, in this order: walltimes warn and end, due
 * reservations start on their booked hosts, scheduled labs deploy, labs past their end are
 * destroyed. After a broker restart the same pass catches up on what fell due while it was down.
 */
export function runTimeEvents(ctx: EngineContext, change: Change): void {
  const now = ctx.clock.now();
  const { state, settings } = ctx;
  for (const session of [...state.sessions.all()]) {
    if (session.state !== "active" || session.walltimeMs === null) continue;
    const end = holdEnd(session);
    if (now >= end) {
      endSessionIn(ctx, change, session, "walltime");
      continue;
    }
    if (now >= end - settings.walltimeWarningMs && state.sessions.warnWalltimeOnce(session.id)) {
      change.emit("session.walltime-warning", { sessionId: session.id }, { endsAt: new Date(end).toISOString(), remainingMs: end - now });
    }
  }
  for (const session of [...state.sessions.all()]) {
    if (session.state === "scheduled" && session.startAt! <= now) startReservation(ctx, change, session, now);
  }
  for (const lab of state.labs.live()) {
    if (lab.state === "scheduled" && lab.startAt !== null && lab.startAt <= now) {
      const session = state.sessions.get(lab.sessionId);
      if (session?.state === "active") {
        transitionLab(ctx, change, lab, "deploying");
        enqueueDeploy(ctx, change, lab, session.id);
      } else if (!session) {
        transitionLab(ctx, change, lab, "inactive", { holders: [] });
      }
    }
    if (lab.endAt !== null && lab.endAt <= now && lab.state !== "scheduled" && state.labs.actOnEndOnce(lab.id)) {
      destroyLabIn(ctx, change, lab, "its end_at has passed");
    }
  }
}

/**
 * A reservation starts on its booked hosts; a booked host that cannot take it (offline, in
 * maintenance) is replaced by an equivalent free host, else the reservation fails with the reason.
 */
function startReservation(ctx: EngineContext, change: Change, session: Session, now: number): void {
  ctx.state.sessions.unbook(session);
  const end = session.startAt! + session.walltimeMs!;
  const chosen: Host[] = [];
  for (const requirement of session.requirements) {
    const booked = ctx.state.hosts.get(session.assignments?.[requirement.role] ?? "");
    const usable = (host: Host) => !chosen.includes(host) && acceptsNewSessions(host) && hostFreeDuring(ctx, host, now, end, session.id);
    const host = booked && usable(booked)
      ? booked
      : [...ctx.state.hosts.all()].filter((candidate) => hostMatches(candidate, requirement) && usable(candidate)).sort(
        byScarcityLast,
      )[0];
    if (!host) {
      change.emit("session.reservation-failed", { sessionId: session.id }, {
        role: requirement.role,
        reason: `no host for role ${requirement.role} is available at the reserved time`,
      });
      endSessionIn(ctx, change, session, "reservation-failed");
      return;
    }
    chosen.push(host);
  }
  // Started late (the broker was down): the booking still ends when it was booked to end.
  change.write(ctx.state.sessions.shortenLateReservation(session, end - now));
  activateSession(ctx, change, session, chosen);
}
