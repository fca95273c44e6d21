import type { WorkTarget } from "../../protocol/lab-instance.ts";
import type { EngineContext } from "../context.ts";
import { LockedError, NotFoundError } from "../errors.ts";
import { type Lab, labInstance } from "../labs/lab.ts";
import type { Host, Session } from "../model.ts";
import { touchSession } from "../sessions/touch-session.ts";

export interface TargetRequest {
  role?: string | undefined;
  labId?: string | undefined;
  node?: string | undefined;
}

export interface JobTarget {
  session: Session;
  host: Host;
  role: string;
  lab: Lab | null;
  node: string | null;
}

/**
 * Where a job or device change runs: a role's host, or a node of a running lab the session created
 * or holds. Only the active session holding the host may act there: a waiting session is 423; a
 * host or lab outside the session (also another session's lab on a host both share) is 404,
 * exactly like one that does not exist.
 */
export function resolveTarget(ctx: EngineContext, sessionId: string, request: TargetRequest): JobTarget {
  const session = ctx.state.sessions.get(sessionId);
  if (!session) throw new NotFoundError(`Cannot find a waiting or active session "${sessionId}"`);
  if (session.state !== "active") throw new LockedError(`Session "${sessionId}" is not active yet`);
  touchSession(ctx, session.id);
  const assignments = session.assignments ?? {};
  if (request.labId) {
    const lab = ctx.state.labs.get(request.labId);
    const role = lab ? Object.entries(assignments).find(([, hostId]) => hostId === lab.hostId)?.[0] : undefined;
    const ours = lab && (lab.sessionId === session.id || lab.holders.includes(session.id));
    if (!lab || !role || !ours) throw new NotFoundError(`Cannot find lab "${request.labId}" in session "${sessionId}"`);
    if (lab.state !== "running") throw new LockedError(`Lab "${lab.id}" is ${lab.state}, not running`);
    const node = request.node ?? null;
    if (node !== null && !lab.nodes.some((entry) => entry.name === node)) {
      throw new NotFoundError(`Cannot find node "${node}" in lab "${lab.id}"`);
    }
    return { session, host: ctx.state.hosts.get(lab.hostId)!, role, lab, node };
  }
  const role = request.role ?? session.requirements[0]!.role;
  const hostId = assignments[role];
  if (!hostId) throw new NotFoundError(`Session "${sessionId}" has no role "${role}"`);
  return { session, host: ctx.state.hosts.get(hostId)!, role, lab: null, node: null };
}

/** How the agent finds a lab node: the lab instance and its runtime. */
export function targetPayload(target: JobTarget): WorkTarget {
  return { lab: target.lab ? labInstance(target.lab) : null, node: target.node };
}
