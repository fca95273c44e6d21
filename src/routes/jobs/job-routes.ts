import { createRoute, z } from "@hono/zod-openapi";
import { asc, eq } from "drizzle-orm";
import { jobs } from "../../../db/schema.ts";
import { BadRequestError } from "../../engine/errors.ts";
import { findJob } from "../../engine/jobs/find-job.ts";
import { killJob, SIGNALS } from "../../engine/jobs/kill-job.ts";
import { findSession } from "../../engine/sessions/find-session.ts";
import type { Api } from "../api.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, FollowQuerySchema, resumePoint } from "../streams/event-stream.ts";
import { streamOutput } from "../streams/output-stream.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "../sessions/session-schemas.ts";
import { JobIdParamSchema, JobViewSchema, toJobView } from "./job-schemas.ts";

const jobResponse = (description: string) => ({ description, content: { "application/json": { schema: JobViewSchema } } });

const getJob = createRoute({
  method: "get",
  path: "/v1/jobs/{id}",
  tags: ["jobs"],
  summary: "A job: state, exit code, passed, output, result",
  request: { params: JobIdParamSchema },
  responses: { 200: jobResponse("The job"), ...problemResponses(404) },
});

const KillBodySchema = z.object({ signal: z.enum(SIGNALS).default("SIGKILL") }).strict();
export const KillResultSchema = z.object({ signalled: z.boolean(), message: z.string(), job: JobViewSchema });

const killJobRoute = createRoute({
  method: "post",
  path: "/v1/jobs/{id}/kill",
  tags: ["jobs"],
  summary: "Signal a running job's whole process tree (default SIGKILL); a finished job is not signalled",
  request: { params: JobIdParamSchema, body: { content: { "application/json": { schema: KillBodySchema } }, required: false } },
  responses: {
    200: { description: "What happened", content: { "application/json": { schema: KillResultSchema } } },
    ...problemResponses(400, 404),
  },
});

const jobOutput = createRoute({
  method: "get",
  path: "/v1/jobs/{id}/output",
  tags: ["jobs"],
  summary: "A job's stdout and stderr live, as server-sent events (resumable with Last-Event-ID)",
  request: { params: JobIdParamSchema, query: EventStreamQuerySchema.extend(FollowQuerySchema.shape), headers: EventStreamHeadersSchema },
  responses: {
    200: { description: "Output chunks; `end` once the job has finished", content: { "text/event-stream": { schema: z.string() } } },
    ...problemResponses(400, 404, 429, 503),
  },
});

const listSessionJobs = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/jobs",
  tags: ["jobs"],
  summary: "The session's jobs, by host and number",
  request: { params: SessionIdParamSchema },
  responses: {
    200: { description: "Jobs", content: { "application/json": { schema: z.object({ items: z.array(JobViewSchema) }) } } },
    ...problemResponses(404),
  },
});

export function registerJobRoutes(api: Api, deps: RouteDeps): void {
  const { engine } = deps;
  api.openapi(getJob, async (c) => c.json(toJobView(engine, await findJob(engine, c.req.valid("param").id)), 200));
  api.openapi(killJobRoute, async (c) => {
    const job = await findJob(engine, c.req.valid("param").id);
    // The body is optional: no body means SIGKILL.
    const parsed = KillBodySchema.safeParse((await c.req.json().catch(() => null)) ?? {});
    if (!parsed.success) throw new BadRequestError(`signal: ${parsed.error.issues[0]?.message}`);
    const outcome = await killJob(engine, job, parsed.data.signal);
    return c.json({ ...outcome, job: toJobView(engine, await findJob(engine, job.id)) }, 200);
  });
  api.openapi(jobOutput, async (c) => {
    const job = await findJob(engine, c.req.valid("param").id);
    return streamOutput(c, deps, {
      scope: { jobId: job.id },
      afterId: resumePoint(c.req.valid("header")["last-event-id"], c.req.valid("query").last_event_id) ?? 0,
      isFinished: () =>
        c.req.valid("query").follow === "false" || engine.state.jobs.stateOf(engine.state.jobs.get(job.id) ?? job) === "finished",
    }) as never;
  });
  api.openapi(listSessionJobs, async (c) => {
    const session = await findSession(engine, c.req.valid("param").id);
    const rows = await engine.orm.select().from(jobs).where(eq(jobs.sessionId, session.id)).orderBy(asc(jobs.hostId), asc(jobs.number));
    return c.json({ items: rows.map((row) => toJobView(engine, engine.state.jobs.get(row.id) ?? row)) }, 200);
  });
}
