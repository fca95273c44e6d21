import { createRoute, z } from "@hono/zod-openapi";
import { listSessionJobs } from "../../engine/jobs/list-session-jobs.ts";
import { findSession } from "../../engine/sessions/find-session.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "../sessions/session-schemas.ts";
import { JobViewSchema, toJobView } from "./job-schemas.ts";

const listSessionJobsRoute = createRoute({
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

export function registerListSessionJobs(api: Api, { engine }: RouteDeps): void {
  api.openapi(listSessionJobsRoute, async (c) => {
    const session = await findSession(engine, c.req.valid("param").id);
    const jobs = await listSessionJobs(engine, session.id);
    return c.json({ items: jobs.map((job) => toJobView(engine, job)) }, 200);
  });
}
