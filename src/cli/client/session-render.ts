import type { LabView, SessionView } from "../../client/api-types.ts";
import { describeRequirement } from "../../engine/requirements.ts";
import { ago, keyValueLines } from "./text-table.ts";

/** Held hosts as `m1=lab-a m2=lab-b`, or what a waiting session asks for (`m1: labels site=east`). */
export function hostsCell(session: SessionView): string {
  const held = Object.entries(session.hosts);
  if (held.length > 0) return held.map(([role, host]) => `${role}=${host.name}`).join(" ");
  return session.requirements.map((requirement) => `${requirement.role}: ${describeRequirement(requirement)}`).join("; ");
}

export function clientCell(session: SessionView): string {
  return session.client.name ?? session.client.ci_job_id ?? "-";
}

/** Where the session stands, in a few words: `active`, `waiting (position 3 in the queue: 2 sessions ahead)`, `ended (expired)`. */
export function stateCell(session: SessionView): string {
  if (session.state === "waiting") {
    return `waiting (position ${session.queue_position ?? "?"} in the queue: ${session.wait_reason ?? "queued"})`;
  }
  if (session.state === "ended") return `ended (${session.end_reason ?? "unknown"})`;
  return session.degraded ? "active (degraded: a held host is offline)" : "active";
}

/** `session show`: one session in full, with its live labs. */
export function sessionDetails(session: SessionView, labs: readonly LabView[], now: number): string {
  const pairs: [string, string][] = [
    ["session", session.id],
    ["state", stateCell(session)],
    ["hosts", hostsCell(session)],
    ["priority", String(session.priority)],
    ["client", [session.client.name, session.client.ci_job_id, session.client.ci_job_url].filter(Boolean).join(" ") || "-"],
  ];
  const { ci_system, ci_pipeline, ci_branch, ci_commit } = session.client;
  if (ci_system) {
    pairs.push([
      "ci",
      [ci_system, ci_pipeline && `pipeline ${ci_pipeline}`, ci_branch && `branch ${ci_branch}`, ci_commit && `commit ${ci_commit}`].filter(
        Boolean,
      ).join(", "),
    ]);
  }
  pairs.push(["created", `${session.created_at} (${ago(session.created_at, now)})`]);
  if (session.activated_at) pairs.push(["activated", `${session.activated_at} (${ago(session.activated_at, now)})`]);
  if (session.ended_at) pairs.push(["ended", `${session.ended_at} (${ago(session.ended_at, now)})`]);
  if (session.expires_at) pairs.push(["expires", `${session.expires_at} unless a request or heartbeat comes first`]);
  for (const lab of labs) pairs.push(["lab", `${lab.instance_name} ${lab.state} (${lab.runtime}, id ${lab.id})`]);
  return keyValueLines(pairs);
}
