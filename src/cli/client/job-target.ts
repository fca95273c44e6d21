import type { Place } from "../../client/place.ts";
import type { Session } from "../../client/session.ts";
import { UsageError } from "../command.ts";

/**
 * Where `labbroker run TARGET` runs: a role of the session (its host), or a node of one of the
 * session's running labs (`--lab` picks the lab when several have a node of that name).
 */
export async function resolveJobTarget(session: Session, target: string, labId: string | undefined): Promise<Place> {
  if (!labId && Object.hasOwn(session.view.hosts, target)) return session.host(target);
  const labs = (await session.labs()).filter((lab) => lab.state === "running" && (!labId || lab.id === labId));
  const matches = labs.filter((lab) => lab.nodes.some((node) => node.name === target));
  if (matches.length === 1) return matches[0]!.node(target);
  if (matches.length > 1) {
    throw new UsageError(`node "${target}" is in several labs (${matches.map((lab) => lab.id).join(", ")}): choose one with --lab`);
  }
  const roles = Object.keys(session.view.hosts);
  const nodes = labs.flatMap((lab) => lab.nodes.map((node) => node.name));
  throw new UsageError(
    `session ${session.id} has no role or running lab node "${target}" (roles: ${roles.join(", ") || "none"}; nodes: ${
      nodes.join(", ") || "none"
    })`,
  );
}
