import { agentIncompatibility, UNVERSIONED_PROTOCOL } from "../../protocol/protocol-version.ts";
import { Change, type EngineContext } from "../context.ts";
import { newId } from "../ids.ts";
import { ConflictError, UnauthorizedError } from "../errors.ts";
import type { HostRuntime } from "../../protocol/host-work.ts";
import type { Host } from "../model.ts";
import { promoteWaitingSessions } from "../scheduler.ts";
import { generateToken, hashToken, tokenMatches } from "../tokens.ts";

/** A registration whose enrollment token was checked already (verifyEnrollmentToken). */
export interface RegisterAgentInput {
  /** The host's current agent token, which an agent sends when it registers again under its name. */
  currentAgentToken?: string | undefined;
  name: string;
  version: string;
  /** The protocol version the agent speaks; absent from agents that predate it. */
  protocolVersion?: number | undefined;
  labels: Record<string, string>;
  runtimes: HostRuntime[];
  capacity: number;
  inventory: Record<string, unknown>;
  /** The agent's per-install id; absent from agents that predate it. */
  installId?: string | undefined;
  /** Where the registration came from, as the broker saw it. */
  agentAddress?: string | null;
  /** `serve`'s own agent (its in-memory enrollment token): it may take its host back without the old credential. */
  localAgent?: boolean;
}

/**
 * Enrolls an agent. The same name re-attaches to the same host (with a fresh agent token; the old
 * one stops working); admin labels, capacity overrides, drain and maintenance survive. Another
 * installation claiming the name of a host that is online is refused: two machines with one
 * hostname would otherwise take the host from each other in turn.
 */
export async function registerAgent(
  ctx: EngineContext,
  input: RegisterAgentInput,
): Promise<{ host: Host; agentToken: string; reattached: boolean }> {
  const incompatibility = agentIncompatibility(input.version, input.protocolVersion ?? UNVERSIONED_PROTOCOL);
  if (incompatibility) throw new ConflictError(incompatibility);
  const now = ctx.clock.now();
  const agentToken = generateToken("lba");
  const existing = ctx.state.hosts.byName(input.name);
  if (existing) {
    refuseNameClash(existing, input);
    refuseTakeover(existing, input);
  }
  const host: Host = existing ?? {
    id: newId(now),
    name: input.name,
    agentLabels: {},
    adminLabels: {},
    runtimes: [],
    agentCapacity: 1,
    adminCapacity: null,
    online: true,
    draining: false,
    maintenance: false,
    agentVersion: input.version,
    agentTokenHash: "",
    pendingAgentTokenHash: null,
    pendingAgentToken: null,
    rotateAgain: false,
    inventory: {},
    registeredAt: now,
    lastSeenAt: now,
    installId: null,
    agentAddress: null,
    adminReason: null,
    adminReasonBy: null,
    adminReasonAt: null,
    healthState: "healthy",
    healthReport: null,
    healthCheckedAt: null,
    healthCheckEveryS: null,
    holders: new Set(),
    pollsHeld: 0,
  };
  const wasOnline = existing?.online ?? false;
  const change = new Change(ctx);
  change.write(ctx.state.hosts.enroll(host, {
    agentLabels: input.labels,
    runtimes: input.runtimes,
    agentCapacity: input.capacity,
    agentVersion: input.version,
    agentTokenHash: hashToken(agentToken),
    inventory: input.inventory,
    lastSeenAt: now,
    installId: input.installId ?? host.installId,
    agentAddress: input.agentAddress ?? null,
  }));
  change.emit("host.registered", { hostId: host.id }, {
    name: host.name,
    reattached: Boolean(existing),
    runtimes: host.runtimes,
    labels: input.labels,
  });
  if (existing && !wasOnline) change.emit("host.online", { hostId: host.id }, { name: host.name });
  promoteWaitingSessions(ctx, change);
  await change.commit();
  return { host, agentToken, reattached: Boolean(existing) };
}

/**
 * The enrollment token alone does not take over a registered host (a job that read it could then
 * receive other sessions' work): the agent must also hold the host's current credential, or an
 * admin must have released the name (PATCH /v1/hosts/{id} {"reenroll": true}).
 */
function refuseTakeover(host: Host, input: RegisterAgentInput): void {
  if (host.agentTokenHash === "" || input.localAgent) return;
  const presented = input.currentAgentToken;
  if (presented && [host.agentTokenHash, host.pendingAgentTokenHash].some((hash) => hash && tokenMatches(presented, hash))) return;
  throw new UnauthorizedError(
    `Host "${host.name}" is registered already and this agent does not hold its current credential; ` +
      `an admin can allow a new registration with PATCH /v1/hosts/{id} {"reenroll": true}, or start the agent with another --name`,
  );
}

function refuseNameClash(host: Host, input: RegisterAgentInput): void {
  if (!host.online || !host.installId || !input.installId || host.installId === input.installId) return;
  const from = host.agentAddress ? ` (connecting from ${host.agentAddress})` : "";
  throw new ConflictError(
    `Host name "${host.name}" belongs to another agent installation that is online${from}; ` +
      `start this agent with a name of its own: --name NAME (or LABBROKER_AGENT_NAME). ` +
      `If that agent is gone for good, this one may take the name once the host has turned offline.`,
  );
}
