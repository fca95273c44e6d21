/** In-memory shapes of the broker's live state; the database rows in db/schema.ts are their durable form. */

import type { HostRuntime } from "../protocol/host-work.ts";
import type { RuntimeName } from "../protocol/runtimes.ts";

export const HOST_STATES = ["online", "offline", "draining", "maintenance", "unhealthy"] as const;
export type HostState = (typeof HOST_STATES)[number];

/** The health gate: `checking` from a session's end until its host's check reports; `unhealthy` until cleared or a re-check passes. */
export const HEALTH_STATES = ["healthy", "checking", "unhealthy"] as const;
export type HealthState = (typeof HEALTH_STATES)[number];

export const SESSION_STATES = ["scheduled", "waiting", "active", "ended"] as const;
export type SessionState = (typeof SESSION_STATES)[number];

export const END_REASONS = ["released", "expired", "host-lost", "cancelled", "walltime", "reservation-failed"] as const;
export type EndReason = (typeof END_REASONS)[number];

export interface Host {
  id: string;
  name: string;
  agentLabels: Record<string, string>;
  adminLabels: Record<string, string>;
  runtimes: HostRuntime[];
  agentCapacity: number;
  adminCapacity: number | null;
  online: boolean;
  draining: boolean;
  maintenance: boolean;
  agentVersion: string;
  /** The agent's credential; "" once an admin released the host for a new registration. */
  agentTokenHash: string;
  /** A rotated credential the agent has not used yet (it replaces agentTokenHash when it does). */
  pendingAgentTokenHash: string | null;
  /** That credential in clear, in memory only until delivered by a poll (derived, not stored). */
  pendingAgentToken: string | null;
  /** Another session ended while a rotation was pending: rotate again once the agent uses it (derived, not stored). */
  rotateAgain: boolean;
  inventory: Record<string, unknown>;
  registeredAt: number;
  lastSeenAt: number;
  /** The agent's per-install id (null for agents that send none). */
  installId: string | null;
  /** The address the agent last connected from. */
  agentAddress: string | null;
  /** Why it is draining or in maintenance, who set that and when; null while neither. */
  adminReason: string | null;
  adminReasonBy: string | null;
  adminReasonAt: number | null;
  healthState: HealthState;
  /** The last health check's report (see src/hosts/health). */
  healthReport: Record<string, unknown> | null;
  healthCheckedAt: number | null;
  /** Check the idle host this often (seconds); null: only after sessions. */
  healthCheckEveryS: number | null;
  /** Active sessions holding a slot on this host (derived, not stored). */
  holders: Set<string>;
  /** Polls of this host's agent held open now (derived, not stored): the host is alive meanwhile. */
  pollsHeld: number;
}

export interface Requirement {
  role: string;
  labels: Record<string, string>;
  runtime: RuntimeName | null;
  /** A pinned host, by name or id. */
  host: string | null;
  /** SHA-256 of the topology the role's lab will deploy: free hosts with a warm lab of it are preferred (never required). */
  warmLab?: string;
}

export type ClientInfo = {
  name?: string;
  ci_job_url?: string;
  ci_job_id?: string;
  /** The CI system the session was created from (recognised from its variables). */
  ci_system?: CiSystem;
  ci_pipeline?: string;
  ci_pipeline_url?: string;
  ci_commit?: string;
  ci_branch?: string;
};

export const CI_SYSTEMS = ["github-actions", "gitlab-ci", "jenkins", "buildkite"] as const;
export type CiSystem = (typeof CI_SYSTEMS)[number];

export interface Session {
  /** Each held host as it was at activation, by role (see hostFacts). */
  hostFacts: Record<string, Record<string, unknown>> | null;
  id: string;
  seq: number;
  state: SessionState;
  endReason: EndReason | null;
  priority: number;
  requirements: Requirement[];
  client: ClientInfo;
  compat: boolean;
  idempotencyKey: string | null;
  /** role → host id, while active. */
  assignments: Record<string, string> | null;
  createdAt: number;
  activatedAt: number | null;
  endedAt: number | null;
  lastSeenAt: number;
  /** How long it may stay active; null: until released or reaped. */
  walltimeMs: number | null;
  /** For a reservation: when it starts on its booked hosts. */
  startAt: number | null;
  /** The token that created it (see principal.ts ownerIdOf); null on sessions from before owners (admins only). */
  ownerId: string | null;
  /** That token's name, for listings. */
  ownerName: string | null;
  /** The queue pool of sessions with the same requirements (derived, not stored). */
  poolKey: string;
}

/** Queue order: higher priority first, then earlier arrival. */
export function isAheadOf(a: Session, b: Session): boolean {
  return a.priority > b.priority || (a.priority === b.priority && a.seq < b.seq);
}

/** Sort comparator for queue order: the session ahead (isAheadOf) first. */
export function byQueueOrder(a: Session, b: Session): number {
  return isAheadOf(a, b) ? -1 : isAheadOf(b, a) ? 1 : 0;
}

/** Labels a matcher sees: the agent's, overridden by the admin's. */
export function effectiveLabels(host: Host): Record<string, string> {
  return { ...host.agentLabels, ...host.adminLabels };
}

export function effectiveCapacity(host: Host): number {
  return host.adminCapacity ?? host.agentCapacity;
}

export function hostState(host: Host): HostState {
  if (host.maintenance) return "maintenance";
  if (!host.online) return "offline";
  if (host.healthState === "unhealthy") return "unhealthy";
  if (host.draining) return "draining";
  return "online";
}

/** Whether a new session may be placed on the host now. */
export function acceptsNewSessions(host: Host): boolean {
  return hostState(host) === "online" && host.healthState === "healthy" && host.holders.size < effectiveCapacity(host);
}
