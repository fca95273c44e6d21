import { createRoute } from "@hono/zod-openapi";
import { findJob } from "../../engine/jobs/find-job.ts";
import { isJobFinished } from "../../engine/jobs/list-session-jobs.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { EventStreamHeadersSchema, EventStreamQuerySchema, FollowQuerySchema, resumePoint } from "../streams/event-stream.ts";
import { streamOutput } from "../streams/output-stream.ts";
import { eventStreamEntry } from "../streams/sse-response.ts";
import { JobIdParamSchema } from "./job-schemas.ts";

const getJobOutput = createRoute({
  method: "get",
  path: "/v1/jobs/{id}/output",
  tags: ["jobs"],
  summary: "A job's stdout and stderr live, as server-sent events (resumable with Last-Event-ID)",
  request: { params: JobIdParamSchema, query: EventStreamQuerySchema.extend(FollowQuerySchema.shape), headers: EventStreamHeadersSchema },
  responses: {
    200: eventStreamEntry("Output chunks; `end` once the job has finished"),
    ...problemResponses(400, 404, 429, 503),
  },
});

export function registerGetJobOutput(api: Api, deps: RouteDeps): void {
  const { engine } = deps;
  api.openapi(getJobOutput, async (c) => {
    const job = await findJob(engine, c.req.valid("param").id);
    return streamOutput(c, deps, {
      scope: { jobId: job.id },
      afterId: resumePoint(c.req.valid("header")["last-event-id"], c.req.valid("query").last_event_id) ?? 0,
      isFinished: () => c.req.valid("query").follow === "false" || isJobFinished(engine, job),
    });
  });
}
