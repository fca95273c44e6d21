import { ForbiddenError } from "../errors.ts";
import { isAdmin, type Principal } from "./principal.ts";

/** What a principal's sessions may ask for beyond the default; null: anything (admins). */
export interface SessionRights {
  /** Highest priority (the default is 0). */
  maxPriority: number;
  /** Longest walltime; null: no reservations, and queued sessions up to the broker's maximum. */
  maxWalltimeMs: number | null;
}

export function sessionRightsOf(principal: Principal): SessionRights | null {
  if (isAdmin(principal)) return null;
  return principal.kind === "token"
    ? { maxPriority: principal.maxPriority, maxWalltimeMs: principal.maxWalltimeMs }
    : { maxPriority: 0, maxWalltimeMs: null };
}

const GRANT_HINT = "an admin grants it per token (labbroker token create … --max-priority N --max-walltime SECONDS)";

/**
 * Priority above the default and reservations are granted rights: one client can otherwise put
 * itself ahead of everyone or book a host for a week.
 */
export function checkSessionRights(
  rights: SessionRights | null,
  request: { priority: number; walltimeMs: number | null; reservation: boolean },
): void {
  if (!rights) return;
  if (request.priority > rights.maxPriority) {
    throw new ForbiddenError(`priority ${request.priority} is above this token's maximum of ${rights.maxPriority}; ${GRANT_HINT}`);
  }
  if (request.reservation && rights.maxWalltimeMs === null) {
    throw new ForbiddenError(`start_at: this token may not reserve hosts; ${GRANT_HINT}`);
  }
  if (request.walltimeMs !== null && rights.maxWalltimeMs !== null && request.walltimeMs > rights.maxWalltimeMs) {
    throw new ForbiddenError(
      `walltime ${request.walltimeMs / 1000} s is above this token's maximum of ${rights.maxWalltimeMs / 1000} s; ${GRANT_HINT}`,
    );
  }
}
