import { createRoute } from "@hono/zod-openapi";
import { findJob } from "../../engine/jobs/find-job.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { JobIdParamSchema, JobViewSchema, toJobView } from "./job-schemas.ts";

const getJob = createRoute({
  method: "get",
  path: "/v1/jobs/{id}",
  tags: ["jobs"],
  summary: "A job: state, exit code, passed, output, result",
  request: { params: JobIdParamSchema },
  responses: { 200: { description: "The job", content: { "application/json": { schema: JobViewSchema } } }, ...problemResponses(404) },
});

export function registerGetJob(api: Api, { engine }: RouteDeps): void {
  api.openapi(getJob, async (c) => c.json(toJobView(engine, await findJob(engine, c.req.valid("param").id)), 200));
}
