import { createRoute, z } from "@hono/zod-openapi";
import { findJob } from "../../engine/jobs/find-job.ts";
import { waitForJob } from "../../engine/jobs/wait-for-job.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { JobIdParamSchema, JobViewSchema, toJobView } from "./job-schemas.ts";

/**
 * The longest one wait request is held: below the server's idle timeout and the 60 s many proxies
 * allow, so a long wait is a loop of requests rather than a connection cut halfway.
 */
export const WAIT_DEADLINE_S = 55;

const postJobWait = createRoute({
  method: "post",
  path: "/v1/jobs/{id}/wait",
  tags: ["jobs"],
  summary: "Wait until the job finishes, or timeout_s passes (0: until it finishes, as in LNST)",
  description:
    `Held at most ${WAIT_DEADLINE_S} s. 200 with the job when it has finished or when timeout_s has passed (still running is not an error). ` +
    `202 with the still-running job when the request's own deadline cut the wait short (timeout_s=0, or above ${WAIT_DEADLINE_S}): call again.`,
  request: {
    params: JobIdParamSchema,
    query: z.object({
      timeout_s: z.coerce.number().min(0).max(3600).default(30).openapi({ description: "Seconds to wait; 0 waits until the job finishes" }),
    }),
  },
  responses: {
    200: { description: "The job, finished or not", content: { "application/json": { schema: JobViewSchema } } },
    202: {
      description: "The job still runs and the request's deadline has passed: wait again",
      content: { "application/json": { schema: JobViewSchema } },
    },
    ...problemResponses(400, 404),
  },
});

export function registerPostJobWait(api: Api, { engine }: RouteDeps): void {
  api.openapi(postJobWait, async (c) => {
    const job = await findJob(engine, c.req.valid("param").id);
    const asked = c.req.valid("query").timeout_s;
    const cutByDeadline = asked === 0 || asked > WAIT_DEADLINE_S;
    const waited = await waitForJob(engine, job, (cutByDeadline ? WAIT_DEADLINE_S : asked) * 1000, c.req.raw.signal);
    const view = toJobView(engine, waited);
    if (cutByDeadline && engine.state.jobs.stateOf(waited) !== "finished") return c.json(view, 202);
    return c.json(view, 200);
  });
}
