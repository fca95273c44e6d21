import { createRoute, z } from "@hono/zod-openapi";
import { BadRequestError } from "../../engine/errors.ts";
import { findJob } from "../../engine/jobs/find-job.ts";
import { killJob } from "../../engine/jobs/kill-job.ts";
import { SIGNALS } from "../../protocol/job-work.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { JobIdParamSchema, JobViewSchema, toJobView } from "./job-schemas.ts";

const KillBodySchema = z.object({ signal: z.enum(SIGNALS).default("SIGKILL") }).strict().openapi("KillJob");
export const KillResultSchema = z.object({ signalled: z.boolean(), message: z.string(), job: JobViewSchema }).openapi("KillResult");

const postJobKill = createRoute({
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

export function registerPostJobKill(api: Api, { engine }: RouteDeps): void {
  api.openapi(postJobKill, async (c) => {
    const job = await findJob(engine, c.req.valid("param").id);
    // The body is optional: no body means SIGKILL.
    const parsed = KillBodySchema.safeParse((await c.req.json().catch(() => null)) ?? {});
    if (!parsed.success) throw new BadRequestError(`signal: ${parsed.error.issues[0]?.message}`);
    const outcome = await killJob(engine, job, parsed.data.signal);
    return c.json({ ...outcome, job: toJobView(engine, await findJob(engine, job.id)) }, 200);
  });
}
