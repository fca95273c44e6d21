import { asc, eq } from "drizzle-orm";
import { jobs } from "../../../db/schema.ts";
import type { EngineContext } from "../context.ts";
import { findSession } from "../sessions/find-session.ts";
import type { JobRecord } from "./job.ts";
import { jobTimeline, resultTimeline, sortTimeline, type TimelineEntry } from "./results-timeline.ts";
import { listSessionResults } from "./session-results.ts";
import type { SummaryHost, SummaryJob } from "./summary-entries.ts";

export interface SessionSummary {
  hosts: SummaryHost[];
  /** Jobs (background ones also when they started) and recorded results in the order they happened, LNST style. */
  timeline: TimelineEntry[];
}

/** Per host, every job of the session in order with PASS/FAIL and its result formatted (LNST's results summary), and the same as a timeline with the session's own results. */
export async function sessionSummary(ctx: EngineContext, sessionId: string): Promise<SessionSummary> {
  const session = await findSession(ctx, sessionId);
  const rows = await ctx.orm.select().from(jobs).where(eq(jobs.sessionId, session.id)).orderBy(asc(jobs.hostId), asc(jobs.number));
  const byHost = new Map<string, SummaryHost>();
  const timeline: TimelineEntry[] = [];
  for (const row of rows) {
    const job = ctx.state.jobs.get(row.id) ?? row;
    let entry = byHost.get(job.hostId);
    if (!entry) byHost.set(job.hostId, entry = { role: job.role, host: ctx.state.hosts.get(job.hostId)?.name ?? job.hostId, jobs: [] });
    const summary = summarize(ctx, job);
    entry.jobs.push(summary);
    timeline.push(...jobTimeline(job, summary, entry));
  }
  timeline.push(...(await listSessionResults(ctx, session.id)).map(resultTimeline));
  return { hosts: [...byHost.values()], timeline: sortTimeline(timeline) };
}

function summarize(ctx: EngineContext, job: JobRecord): SummaryJob {
  const state = ctx.state.jobs.stateOf(job);
  const outcome = job.outcome ?? {};
  const verdict = state !== "finished" ? "RUNNING" : outcome.passed === true ? "PASS" : "FAIL";
  return {
    number: job.number,
    id: job.id,
    description: (job.spec.description as string | undefined) ?? null,
    node: job.node,
    state,
    verdict,
    result: state !== "finished" ? "" : formatResult(job, outcome),
  };
}

/** The job's result, or for a job that failed, why: how it ended, and what was wrong with its output. */
function formatResult(job: JobRecord, outcome: Record<string, unknown>): string {
  if (outcome.result !== undefined && outcome.result !== null) return JSON.stringify(outcome.result);
  if (outcome.error) return String(outcome.error);
  const signal = outcome.signal ? `, killed by ${String(outcome.signal)}` : "";
  const timedOut = outcome.timedOut ? ", timed out" : "";
  const unexpected = job.spec.expectFailure === true && outcome.exitCode === 0 ? ", but it was expected to fail" : "";
  const resultError = outcome.resultError ? `; ${String(outcome.resultError)}` : "";
  return `exit code ${String(outcome.exitCode ?? "none")}${signal}${timedOut}${unexpected}${resultError}`;
}

export function summaryText(hosts: readonly SummaryHost[]): string {
  const lines: string[] = [];
  for (const host of hosts) {
    lines.push(`${host.role} (${host.host})`);
    for (const job of host.jobs) {
      const where = job.node ? ` [node ${job.node}]` : "";
      lines.push(
        `  job ${job.number}: ${job.verdict} ${job.description ?? ""}${where}${job.result ? ` — ${job.result}` : ""}`.replace(
          / {2,}—/,
          " —",
        ),
      );
    }
  }
  return lines.join("\n") + (lines.length ? "\n" : "");
}
