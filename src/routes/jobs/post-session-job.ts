import { createRoute } from "@hono/zod-openapi";
import { startJob } from "../../engine/jobs/start-job.ts";
import { waitForJob } from "../../engine/jobs/wait-for-job.ts";
import { whileSessionBusy } from "../../engine/sessions/keep-alive.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "../sessions/session-schemas.ts";
import { JobViewSchema, RunJobBodySchema, toJobView } from "./job-schemas.ts";

const FOREGROUND_DEFAULT_S = 60;
/** How much longer than the job's own bound a foreground call waits for the agent's answer. */
const ANSWER_SLACK_MS = 30_000;

const postSessionJob = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/jobs",
  tags: ["jobs"],
  summary: "Run a command on a role's host or inside a lab node",
  description:
    "A foreground job answers when it has finished (killed with SIGKILL at `timeout_s`, default 60). A background job answers at once; " +
    "wait for it, kill it, or follow its output. Only the active session holding the host may run jobs there.",
  request: { params: SessionIdParamSchema, body: { content: { "application/json": { schema: RunJobBodySchema } }, required: true } },
  responses: {
    200: { description: "A foreground job, finished", content: { "application/json": { schema: JobViewSchema } } },
    202: {
      description: "A background job (or a foreground one still running after the wait)",
      content: { "application/json": { schema: JobViewSchema } },
    },
    ...problemResponses(400, 404, 423, 503),
  },
});

export function registerPostSessionJob(api: Api, { engine }: RouteDeps): void {
  api.openapi(postSessionJob, async (c) => {
    const body = c.req.valid("json");
    const timeoutS = body.timeout_s ?? (body.background ? null : FOREGROUND_DEFAULT_S);
    const job = await startJob(
      engine,
      c.req.valid("param").id,
      { role: body.role, labId: body.lab_id, node: body.node },
      {
        ...(body.argv ? { argv: body.argv } : {}),
        ...(body.shell ? { shell: body.shell } : {}),
        background: body.background,
        timeoutMs: timeoutS === null ? null : Math.round(timeoutS * 1000),
        expectFailure: body.expect_failure,
        ...(body.cwd ? { cwd: body.cwd } : {}),
        ...(body.env ? { env: body.env } : {}),
        ...(body.netns ? { netns: body.netns } : {}),
        parseJson: body.parse_json,
        ...(body.description ? { description: body.description } : {}),
        maxOutputBytes: body.max_output_bytes,
      },
    );
    if (body.background) return c.json(toJobView(engine, job), 202);
    const finished = await whileSessionBusy(
      engine,
      job.sessionId,
      () => waitForJob(engine, job, (timeoutS ?? FOREGROUND_DEFAULT_S) * 1000 + ANSWER_SLACK_MS, c.req.raw.signal),
    );
    const view = toJobView(engine, finished);
    return c.json(view, view.state === "finished" ? 200 : 202);
  });
}
