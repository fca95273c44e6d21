import type { EngineContext } from "../context.ts";
import { ForbiddenError, NotFoundError } from "../errors.ts";
import { effectiveCapacity } from "../model.ts";
import type { JobTarget } from "./job-target.ts";

/**
 * Where on a host a session may act. A session that holds the whole host (capacity 1) may use any
 * namespace, the host's own included. On a shared host it may only enter the namespaces of its own
 * labs there: another session's lab answers 404 like one that does not exist, and the host's own
 * namespace is 403 (changes there would reach every session on the host).
 */
export function requireNamespaceAccess(ctx: EngineContext, target: JobTarget, netns: string | null): void {
  if (target.lab !== null || effectiveCapacity(target.host) <= 1) return;
  const shared = `host "${target.host.name}" is shared (capacity ${effectiveCapacity(target.host)})`;
  if (netns === null) {
    throw new ForbiddenError(
      `The ${shared}: only a session holding the whole host may act in its own namespace; use a lab node or a namespace of one of this session's labs`,
    );
  }
  if (!sessionNamespaces(ctx, target).has(netns)) {
    throw new NotFoundError(
      `Cannot find network namespace "${netns}" among the labs of session "${target.session.id}" on host "${target.host.name}"`,
    );
  }
}

/** The namespaces of the session's live labs on the target's host, as their runtimes report the nodes. */
function sessionNamespaces(ctx: EngineContext, target: JobTarget): Set<string> {
  const names = new Set<string>();
  for (const lab of ctx.state.labs.onHost(target.host.id)) {
    if (lab.sessionId !== target.session.id && !lab.holders.includes(target.session.id)) continue;
    for (const node of lab.nodes) {
      const raw = (node.raw ?? {}) as { netns?: unknown; name?: unknown };
      const name = raw.netns ?? raw.name;
      if (typeof name === "string") names.add(name);
    }
  }
  return names;
}
