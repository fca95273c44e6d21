import { checkSessionRights, type SessionRights } from "../access/session-rights.ts";
import { Change, type EngineContext } from "../context.ts";
import { ConflictError, NotFoundError, UnprocessableError } from "../errors.ts";
import type { Session } from "../model.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import { hostCalendar } from "./host-calendar.ts";

/**
 * Extends or shortens a session's walltime by `offsetMs`. Refused (409, naming the booking's start)
 * when the new end would run into a reservation on one of its hosts; refused (422, never clamped)
 * when it would end an active session before now, leave a booking or walltime empty, or exceed the
 * broker's maximum.
 */
export async function changeWalltime(
  ctx: EngineContext,
  sessionId: string,
  offsetMs: number,
  rights: SessionRights | null = null,
): Promise<Session> {
  const session = ctx.state.sessions.get(sessionId);
  if (!session) throw new NotFoundError(`Cannot find a waiting, scheduled or active session "${sessionId}"`);
  if (session.walltimeMs === null) throw new UnprocessableError("This session has no walltime to change; it runs until it is released");
  const now = ctx.clock.now();
  const started = session.state === "active" ? session.activatedAt! : session.state === "scheduled" ? session.startAt! : null;
  const walltimeMs = session.walltimeMs + offsetMs;
  if (walltimeMs > ctx.settings.maxWalltimeMs) {
    throw new UnprocessableError(
      `offset_walltime_s: the walltime would be ${walltimeMs / 1000} s, more than this broker's maximum of ${
        ctx.settings.maxWalltimeMs / 1000
      } s`,
    );
  }
  checkSessionRights(rights, { priority: session.priority, walltimeMs, reservation: session.state === "scheduled" });
  if (walltimeMs <= 0) {
    throw new UnprocessableError(
      `offset_walltime_s: the walltime would be ${walltimeMs / 1000} s; it must stay above 0 (the session has ${
        session.walltimeMs / 1000
      } s)`,
    );
  }
  if (session.state === "active" && started! + walltimeMs <= now) {
    throw new UnprocessableError(
      `offset_walltime_s: the session would end at ${new Date(started! + walltimeMs).toISOString()}, before now; less than ${
        (started! + session.walltimeMs - now) / 1000
      } s can be taken off`,
    );
  }
  if (started !== null) {
    const end = started + walltimeMs;
    for (const hostId of Object.values(session.assignments ?? {})) {
      const host = ctx.state.hosts.get(hostId);
      const conflict = host &&
        hostCalendar(ctx, host).find((entry) =>
          entry.kind === "booking" && entry.sessionId !== session.id && entry.from < end && entry.to > started
        );
      if (conflict) {
        throw new ConflictError(
          `The new end would run into a reservation on host "${host.name}" starting at ${new Date(conflict.from).toISOString()}`,
          {
            conflicting_start: new Date(conflict.from).toISOString(),
          },
        );
      }
    }
  }
  const change = new Change(ctx);
  change.write(ctx.state.sessions.changeWalltime(session, walltimeMs));
  change.emit("session.walltime", { sessionId: session.id }, { walltimeMs, offsetMs });
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return session;
}
