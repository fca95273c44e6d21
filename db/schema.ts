import { sql } from "drizzle-orm";
import { blob, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Broker-wide key/value settings, such as the hashed enrollment token. */
export const brokerSettings = sqliteTable("broker_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: integer("updated_at").notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

/**
 * Lab hosts. An agent's registration creates or re-attaches the row by name. Labels and capacity
 * come from the agent; admin overrides live in their own columns so a re-registration keeps them.
 */
export const hosts = sqliteTable("hosts", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  agentLabels: text("agent_labels", { mode: "json" }).$type<Record<string, string>>().notNull(),
  adminLabels: text("admin_labels", { mode: "json" }).$type<Record<string, string>>().notNull(),
  runtimes: text("runtimes", { mode: "json" }).$type<{ name: string; version: string | null }[]>().notNull(),
  agentCapacity: integer("agent_capacity").notNull().default(1),
  adminCapacity: integer("admin_capacity"),
  online: integer("online", { mode: "boolean" }).notNull(),
  draining: integer("draining", { mode: "boolean" }).notNull().default(false),
  maintenance: integer("maintenance", { mode: "boolean" }).notNull().default(false),
  agentVersion: text("agent_version").notNull(),
  agentTokenHash: text("agent_token_hash").notNull(),
  /** The next agent token, issued when a session on the host ended and not yet used by the agent (see agent-credential.ts). */
  pendingAgentTokenHash: text("pending_agent_token_hash"),
  inventory: text("inventory", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  registeredAt: integer("registered_at").notNull(),
  lastSeenAt: integer("last_seen_at").notNull(),
  /** A random id the agent keeps in its work dir: tells two machines registering one name apart. */
  installId: text("install_id"),
  /** Where the agent's last poll or registration came from, as the broker saw it. */
  agentAddress: text("agent_address"),
  /** Why the host is draining or in maintenance, who said so and when (cleared with both). */
  adminReason: text("admin_reason"),
  adminReasonBy: text("admin_reason_by"),
  adminReasonAt: integer("admin_reason_at"),
  /** The health gate's verdict on the host since its last session (see src/engine/hosts/health-gate.ts). */
  healthState: text("health_state", { enum: ["healthy", "checking", "unhealthy"] }).notNull().default("healthy"),
  /** The last check's findings: what differs from the idle baseline, what was cleaned. */
  healthReport: text("health_report", { mode: "json" }).$type<Record<string, unknown>>(),
  healthCheckedAt: integer("health_checked_at"),
  /** An admin's periodic check of the idle host (LAVA's health checks); null: only after sessions. */
  healthCheckEveryS: integer("health_check_every_s"),
});

/** Sessions: queued, active or ended. `seq` is the arrival order the queue is sorted by. */
export const sessions = sqliteTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    seq: integer("seq").notNull().unique(),
    state: text("state", { enum: ["scheduled", "waiting", "active", "ended"] }).notNull(),
    endReason: text("end_reason", { enum: ["released", "expired", "host-lost", "cancelled", "walltime", "reservation-failed"] }),
    priority: integer("priority").notNull().default(0),
    requirements: text("requirements", { mode: "json" }).$type<SessionRequirementRow[]>().notNull(),
    client: text("client", { mode: "json" }).$type<Record<string, string | undefined>>().notNull(),
    compat: integer("compat", { mode: "boolean" }).notNull().default(false),
    idempotencyKey: text("idempotency_key"),
    assignments: text("assignments", { mode: "json" }).$type<Record<string, string>>(),
    createdAt: integer("created_at").notNull(),
    activatedAt: integer("activated_at"),
    endedAt: integer("ended_at"),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** How long the session may stay active; null: until released or reaped. */
    walltimeMs: integer("walltime_ms"),
    /** A reservation: the session starts at this time on the hosts booked in `assignments`. */
    startAt: integer("start_at"),
    /** Each held host as it was when the session became active (kernel, CPU, agent and tools), by role: for the session's manifest. */
    hostFacts: text("host_facts", { mode: "json" }).$type<Record<string, Record<string, unknown>>>(),
    /** The API token that created it (`anonymous` under an anonymous policy); null on sessions from before owners. */
    ownerId: text("owner_id"),
    /** That token's name when the session was created, shown in listings. */
    ownerName: text("owner_name"),
  },
  (table) => [
    index("sessions_state_seq").on(table.state, table.seq),
    uniqueIndex("sessions_idempotency_key").on(table.idempotencyKey).where(sql`${table.idempotencyKey} is not null`),
    // Retention walks ended sessions oldest first.
    index("sessions_ended").on(table.endedAt).where(sql`${table.state} = 'ended'`),
  ],
);

export interface SessionRequirementRow {
  role: string;
  labels: Record<string, string>;
  runtime: string | null;
  host: string | null;
}

/**
 * Every state change of a session, host, lab or job, in order. SSE streams read from here so a
 * client resuming with Last-Event-ID misses nothing.
 */
export const events = sqliteTable(
  "events",
  {
    id: integer("id").primaryKey(),
    at: integer("at").notNull(),
    type: text("type").notNull(),
    sessionId: text("session_id"),
    hostId: text("host_id"),
    labId: text("lab_id"),
    jobId: text("job_id"),
    data: text("data", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** Who caused it: a token name, `agent:<host>`, `anonymous` or `system`; null on events from before actors. */
    actor: text("actor"),
  },
  // Partial indexes: most events refer to one or two things, and an index entry per NULL would slow every insert.
  (table) => [
    index("events_session").on(table.sessionId, table.id).where(sql`${table.sessionId} is not null`),
    index("events_host").on(table.hostId, table.id).where(sql`${table.hostId} is not null`),
    index("events_lab").on(table.labId, table.id).where(sql`${table.labId} is not null`),
    index("events_job").on(table.jobId, table.id).where(sql`${table.jobId} is not null`),
    index("events_actor").on(table.actor, table.id).where(sql`${table.actor} is not null`),
  ],
);

export const WORK_KINDS = [
  "refresh-inventory",
  "deploy-lab",
  "destroy-lab",
  "run-job",
  "kill-job",
  "device-op",
  "file-transfer",
  "health-check",
  "reset-lab",
] as const;
export const WORK_STATES = ["queued", "dispatched", "done", "failed"] as const;

/**
 * Work for one host's agent, delivered by long-poll at least once and executed idempotently by id.
 * `lastSeq` is the last agent event recorded for it; events must arrive in order.
 */
export const workItems = sqliteTable(
  "work_items",
  {
    id: text("id").primaryKey(),
    hostId: text("host_id").notNull(),
    kind: text("kind", { enum: WORK_KINDS }).notNull(),
    state: text("state", { enum: WORK_STATES }).notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    sessionId: text("session_id"),
    labId: text("lab_id"),
    jobId: text("job_id"),
    attempts: integer("attempts").notNull().default(0),
    lastSeq: integer("last_seq").notNull().default(0),
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    error: text("error"),
    createdAt: integer("created_at").notNull(),
    dispatchedAt: integer("dispatched_at"),
    finishedAt: integer("finished_at"),
  },
  (table) => [
    index("work_items_open").on(table.hostId, table.createdAt).where(sql`${table.state} in ('queued', 'dispatched')`),
    index("work_items_job").on(table.jobId).where(sql`${table.jobId} is not null`),
    index("work_items_lab").on(table.labId).where(sql`${table.labId} is not null`),
    // Retention walks finished work oldest first.
    index("work_items_finished").on(table.finishedAt).where(sql`${table.state} in ('done', 'failed')`),
  ],
);

/**
 * Output lines an agent streamed for a work item (deploy logs, job stdout/stderr). `id` orders all
 * output and is the resume point of the log and output streams.
 */
export const workOutput = sqliteTable(
  "work_output",
  {
    id: integer("id").primaryKey(),
    workId: text("work_id").notNull(),
    seq: integer("seq").notNull(),
    at: integer("at").notNull(),
    stream: text("stream", { enum: ["stdout", "stderr", "info"] }).notNull(),
    node: text("node"),
    text: text("text").notNull(),
  },
  (table) => [uniqueIndex("work_output_work_seq").on(table.workId, table.seq)],
);

export const LAB_STATES = ["scheduled", "deploying", "running", "resetting", "failed", "stopping", "inactive"] as const;

/**
 * Labs: a topology deployed by a runtime on one host for a session. Holders lists one session id per
 * hold (a Remote Lab session holds once per acquire, a /v1 session once); a lab without holders is idle.
 */
export const labs = sqliteTable(
  "labs",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    hostId: text("host_id").notNull(),
    runtime: text("runtime", { enum: ["native", "containerlab", "netlab"] }).notNull(),
    state: text("state", { enum: LAB_STATES }).notNull(),
    instanceName: text("instance_name").notNull(),
    topologyName: text("topology_name").notNull(),
    topologyFile: text("topology_file").notNull(),
    topologyHash: text("topology_hash").notNull(),
    /** The uploaded files; `sha256` is missing on labs created before it was recorded. */
    files: text("files", { mode: "json" }).$type<{ path: string; size: number; sha256?: string }[]>().notNull(),
    notes: text("notes", { mode: "json" }).$type<string[]>().notNull(),
    multilabId: integer("multilab_id"),
    holders: text("holders", { mode: "json" }).$type<string[]>().notNull(),
    nodes: text("nodes", { mode: "json" }).$type<Record<string, unknown>[]>().notNull(),
    error: text("error"),
    /** A scheduled lab deploys itself at this time. */
    startAt: integer("start_at"),
    /** The lab is destroyed at this time. */
    endAt: integer("end_at"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    /** When it first became running, and its nodes then (the nodes go when it ends): for the session's manifest, after retention took the events. */
    runningAt: integer("running_at"),
    runningNodes: text("running_nodes", { mode: "json" }).$type<Record<string, unknown>[]>(),
    /** Asked for at its request: when no session holds it any more, it is reset and kept deployed (warm) instead of destroyed. */
    keepWarm: integer("keep_warm", { mode: "boolean" }).notNull().default(false),
    /** While in the warm pool (no holders): when it is destroyed unless a session takes it first. */
    warmUntil: integer("warm_until"),
  },
  (table) => [
    index("labs_live").on(table.hostId).where(sql`${table.state} <> 'inactive'`),
    index("labs_session").on(table.sessionId),
    uniqueIndex("labs_instance").on(table.hostId, table.instanceName),
  ],
);

/** The uploaded files of a lab (topology and extra files), shipped to the agent that deploys it. */
export const labFiles = sqliteTable(
  "lab_files",
  {
    labId: text("lab_id").notNull(),
    path: text("path").notNull(),
    content: blob("content", { mode: "buffer" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.labId, table.path] })],
);

/**
 * Jobs run for a session on a role's host or a lab node (LNST model). `number` counts jobs per host
 * within the session (1, 2, 3 …); the outcome comes from the run-job work item's result.
 */
export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    hostId: text("host_id").notNull(),
    role: text("role").notNull(),
    labId: text("lab_id"),
    node: text("node"),
    number: integer("number").notNull(),
    spec: text("spec", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    workId: text("work_id").notNull(),
    outcome: text("outcome", { mode: "json" }).$type<Record<string, unknown>>(),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (table) => [uniqueIndex("jobs_number").on(table.sessionId, table.hostId, table.number), index("jobs_work").on(table.workId)],
);

/** Every change a session made to a host's devices, with how to undo it; undone in reverse when the session ends. */
export const hostChanges = sqliteTable(
  "host_changes",
  {
    id: integer("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    hostId: text("host_id").notNull(),
    undo: text("undo", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    /** The operation that made the change (its device-op request) and that request's work item, which retention deletes. */
    operation: text("operation", { mode: "json" }).$type<Record<string, unknown>>(),
    workId: text("work_id"),
    restored: integer("restored", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("host_changes_session").on(table.sessionId, table.id)],
);

/** Results a test records in its session beside its jobs (LNST's custom results): PASS/FAIL with a description and data. */
export const sessionResults = sqliteTable(
  "session_results",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    description: text("description").notNull(),
    verdict: text("verdict", { enum: ["PASS", "FAIL"] }).notNull(),
    data: text("data", { mode: "json" }).$type<unknown>(),
    createdAt: integer("created_at").notNull(),
  },
  (table) => [index("session_results_session").on(table.sessionId, table.createdAt)],
);

export const TOKEN_ROLES = ["admin", "user", "viewer"] as const;

/**
 * API tokens of people and pipelines. Only the sha256 of a token is stored; the token is shown once
 * when created. A revoked or expired token authenticates nothing; the row stays for the audit trail.
 */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    role: text("role", { enum: TOKEN_ROLES }).notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** Highest session priority this token may ask for (admins: any). */
    maxPriority: integer("max_priority").notNull().default(0),
    /** Longest walltime it may ask for; reservations need it set (admins: any). */
    maxWalltimeMs: integer("max_walltime_ms"),
    createdAt: integer("created_at").notNull(),
    createdBy: text("created_by").notNull(),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
  },
  (table) => [uniqueIndex("api_tokens_live_name").on(table.name).where(sql`${table.revokedAt} is null`)],
);
