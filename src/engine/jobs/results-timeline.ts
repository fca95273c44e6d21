import type { JobRecord } from "./job.ts";
import type { SummaryHost, SummaryJob } from "./summary-entries.ts";
import type { SessionResult } from "./session-results.ts";

/** One line of the chronological results view: a background job starting, a job's verdict, or a result the test recorded. */
export interface TimelineEntry {
  at: number;
  kind: "job-started" | "job" | "result";
  /** The job's role and host; null for a recorded result. */
  role: string | null;
  host: string | null;
  /** The job's number on its host; null for a recorded result. */
  number: number | null;
  node: string | null;
  description: string | null;
  /** Null for a job that has only started. */
  verdict: "PASS" | "FAIL" | "RUNNING" | null;
  /** The job's result or why it failed; a recorded result's data as JSON. */
  result: string;
}

export function jobTimeline(job: JobRecord, summary: SummaryJob, host: SummaryHost): TimelineEntry[] {
  const base = { role: host.role, host: host.host, number: summary.number, node: summary.node, description: summary.description };
  const entries: TimelineEntry[] = [];
  if (job.spec.background === true) entries.push({ ...base, at: job.createdAt, kind: "job-started", verdict: null, result: "" });
  // A foreground job shows when it has finished, as LNST prints it; a running one at its start.
  entries.push({ ...base, at: job.finishedAt ?? job.createdAt, kind: "job", verdict: summary.verdict, result: summary.result });
  return entries;
}

export function resultTimeline(result: SessionResult): TimelineEntry {
  const data = result.data === null || result.data === undefined ? "" : JSON.stringify(result.data);
  return {
    at: result.createdAt,
    kind: "result",
    role: null,
    host: null,
    number: null,
    node: null,
    description: result.description,
    verdict: result.verdict,
    result: data,
  };
}

/** Oldest first; at the same moment a start before a verdict, and results after jobs. */
export function sortTimeline(entries: TimelineEntry[]): TimelineEntry[] {
  const rank = { "job-started": 0, job: 1, result: 2 } as const;
  return entries.sort((a, b) => a.at - b.at || rank[a.kind] - rank[b.kind] || (a.number ?? 0) - (b.number ?? 0));
}

/** The timeline as text, one line per entry, LNST style. */
export function timelineText(entries: readonly TimelineEntry[]): string {
  return entries
    .map((entry) => {
      const when = new Date(entry.at).toISOString();
      const what = entry.kind === "result" ? "result" : `${entry.role} (${entry.host}) job ${entry.number}`;
      const where = entry.node ? ` [node ${entry.node}]` : "";
      if (entry.kind === "job-started") {
        return `${when} ${what} started: ${entry.description ?? ""}${where} [background]`.replace(":  [", ": [");
      }
      return `${when} ${what}: ${entry.verdict} ${entry.description ?? ""}${where}${entry.result ? ` — ${entry.result}` : ""}`.replace(
        / {2,}(—|\[)/,
        " $1",
      );
    })
    .map((line) => `${line}\n`)
    .join("");
}
