import { asc, eq } from "drizzle-orm";
import { hostChanges, jobs, labs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import type { JobRecord } from "../jobs/job.ts";
import { outcomeName } from "../jobs/outcome-name.ts";
import { listSessionResults } from "../jobs/session-results.ts";
import type { Lab } from "../labs/lab.ts";
import { sha256Hex } from "../../sha256.ts";
import type { Session } from "../model.ts";
import { findSession } from "../sessions/find-session.ts";
import { canonicalJson } from "./canonical-json.ts";
import { hostFacts } from "./host-facts.ts";
import type { SessionManifest } from "./manifest-schema.ts";

type Timeline = SessionManifest["timeline"];
const iso = (ms: number) => new Date(ms).toISOString();
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms));

/**
 * What a session ran on and what it did, built only from what history retention keeps until the
 * session itself goes (the session row with its hosts' facts at activation, labs, jobs' results,
 * device changes, recorded results), so an ended session's manifest never changes.
 */
export async function sessionManifest(ctx: EngineContext, sessionId: string): Promise<SessionManifest> {
  const session = await findSession(ctx, sessionId);
  const [labRows, jobRows, changeRows, results] = await Promise.all([
    ctx.orm.select().from(labs).where(eq(labs.sessionId, session.id)).orderBy(asc(labs.createdAt), asc(labs.id)),
    ctx.orm.select().from(jobs).where(eq(jobs.sessionId, session.id)).orderBy(asc(jobs.createdAt), asc(jobs.id)),
    ctx.orm.select().from(hostChanges).where(eq(hostChanges.sessionId, session.id)).orderBy(asc(hostChanges.id)),
    listSessionResults(ctx, session.id),
  ]);
  const roleOf = new Map(Object.entries(session.assignments ?? {}).map(([role, hostId]) => [hostId, role]));
  const hostName = (hostId: string) =>
    ctx.state.hosts.get(hostId)?.name ?? (session.hostFacts?.[roleOf.get(hostId) ?? ""]?.name as string | undefined) ?? hostId;
  // Live labs and jobs are newer in memory than in their rows.
  const labList = labRows.map((row) => ctx.state.labs.get(row.id) ?? row);
  const changes = new Map<string, SessionManifest["device_changes"][number]>();
  for (const row of changeRows) {
    const key = row.workId ?? `change-${row.id}`;
    const entry = changes.get(key) ??
      {
        at: iso(row.createdAt),
        role: roleOf.get(row.hostId) ?? null,
        host: hostName(row.hostId),
        operation: row.operation,
        undo: [],
        restored: row.restored,
      };
    entry.undo.push(row.undo);
    changes.set(key, entry);
  }
  const manifest: Omit<SessionManifest, "content_hash"> = {
    manifest_version: 1,
    session: {
      id: session.id,
      state: session.state,
      end_reason: session.endReason,
      priority: session.priority,
      requirements: session.requirements,
      walltime_s: session.walltimeMs === null ? null : session.walltimeMs / 1000,
    },
    ci_job: ciJob(session),
    timeline: timeline(session, labList),
    hosts: manifestHosts(ctx, session),
    labs: labList.map((lab) => manifestLab(lab, roleOf.get(lab.hostId) ?? null, hostName(lab.hostId))),
    jobs: jobRows.map((row) => manifestJob(ctx, ctx.state.jobs.get(row.id) ?? row, hostName(row.hostId))),
    device_changes: [...changes.values()],
    results: results.map((result) => ({ at: iso(result.createdAt), description: result.description, verdict: result.verdict })),
  };
  return { ...manifest, content_hash: `sha256:${sha256Hex(new TextEncoder().encode(canonicalJson(manifest)))}` };
}

function ciJob({ client }: Session): SessionManifest["ci_job"] {
  return {
    name: client.name ?? null,
    system: client.ci_system ?? null,
    job_url: client.ci_job_url ?? null,
    job_id: client.ci_job_id ?? null,
    pipeline: client.ci_pipeline ?? null,
    pipeline_url: client.ci_pipeline_url ?? null,
    commit: client.ci_commit ?? null,
    branch: client.ci_branch ?? null,
  };
}

function timeline(session: Session, labList: readonly Lab[]): Timeline {
  const entries: Timeline = [{ at: iso(session.createdAt), event: "queued", lab: null }];
  if (session.activatedAt !== null) entries.push({ at: iso(session.activatedAt), event: "active", lab: null });
  for (const lab of labList) {
    entries.push({ at: iso(lab.createdAt), event: "lab-created", lab: lab.instanceName });
    if (lab.runningAt !== null) entries.push({ at: iso(lab.runningAt), event: "lab-running", lab: lab.instanceName });
    if (lab.state === "inactive") entries.push({ at: iso(lab.updatedAt), event: "lab-ended", lab: lab.instanceName });
  }
  if (session.endedAt !== null) entries.push({ at: iso(session.endedAt), event: "ended", lab: null });
  return entries.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function manifestHosts(ctx: EngineContext, session: Session): SessionManifest["hosts"] {
  return Object.entries(session.assignments ?? {}).map(([role, hostId]) => {
    const stored = session.hostFacts?.[role];
    const current = ctx.state.hosts.get(hostId);
    const facts = stored ?? (current ? hostFacts(current) : { id: hostId, name: hostId });
    const text = (key: string) => (typeof facts[key] === "string" ? (facts[key] as string) : null);
    const whole = (key: string) => (typeof facts[key] === "number" ? (facts[key] as number) : null);
    return {
      role,
      id: hostId,
      name: text("name") ?? hostId,
      facts_at: stored ? isoOrNull(session.activatedAt) : null,
      labels: (facts.labels as Record<string, string> | undefined) ?? {},
      agent_version: text("agent_version"),
      runtimes: (facts.runtimes as { name: string; version: string | null }[] | undefined) ?? [],
      hostname: text("hostname"),
      kernel: text("kernel"),
      arch: text("arch"),
      cpus: whole("cpus"),
      cpu_model: text("cpu_model"),
      memory_bytes: whole("memory_bytes"),
    };
  });
}

function manifestLab(lab: Lab, role: string | null, host: string): SessionManifest["labs"][number] {
  return {
    id: lab.id,
    instance_name: lab.instanceName,
    role,
    host,
    runtime: lab.runtime,
    state: lab.state,
    error: lab.error,
    topology: {
      name: lab.topologyName,
      file: lab.topologyFile,
      sha256: lab.topologyHash,
      files: lab.files.map((file) => ({ path: file.path, size: file.size, sha256: file.sha256 ?? null })),
    },
    nodes: (lab.runningNodes ?? lab.nodes).map((node) => ({
      name: String(node.name),
      kind: stringOrNull(node.kind),
      mgmt_ipv4: stringOrNull(node.mgmtIpv4),
      mgmt_ipv6: stringOrNull(node.mgmtIpv6),
    })),
    notes: lab.notes,
    created_at: iso(lab.createdAt),
    running_at: isoOrNull(lab.runningAt),
    ended_at: lab.state === "inactive" ? iso(lab.updatedAt) : null,
  };
}

function manifestJob(ctx: EngineContext, job: JobRecord, host: string): SessionManifest["jobs"][number] {
  const spec = job.spec;
  const outcome = job.outcome;
  return {
    id: job.id,
    number: job.number,
    role: job.role,
    host,
    lab_id: job.labId,
    node: job.node,
    description: stringOrNull(spec.description),
    command: {
      argv: Array.isArray(spec.argv) ? (spec.argv as string[]) : null,
      shell: stringOrNull(spec.shell),
      cwd: stringOrNull(spec.cwd),
      netns: stringOrNull(spec.netns),
      env_names: Object.keys((spec.env as Record<string, string> | undefined) ?? {}).sort(),
      background: spec.background === true,
      timeout_s: typeof spec.timeoutMs === "number" ? spec.timeoutMs / 1000 : null,
      expect_failure: spec.expectFailure === true,
    },
    started_at: iso(job.createdAt),
    finished_at: isoOrNull(job.finishedAt),
    outcome: outcome && ctx.state.jobs.stateOf(job) === "finished" ? outcomeName(outcome) : "running",
    exit_code: typeof outcome?.exitCode === "number" ? outcome.exitCode : null,
    signal: stringOrNull(outcome?.signal),
  };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}
