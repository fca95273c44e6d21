import { createRoute, z } from "@hono/zod-openapi";
import { sessionSummary, summaryText } from "../../engine/jobs/job-summary.ts";
import { timelineText } from "../../engine/jobs/results-timeline.ts";
import type { Api } from "../api.ts";
import { IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "../sessions/session-schemas.ts";

const VerdictSchema = z.enum(["PASS", "FAIL", "RUNNING"]);

export const SummarySchema = z
  .object({
    hosts: z.array(
      z.object({
        role: z.string(),
        host: z.string(),
        jobs: z.array(
          z.object({
            number: z.number().int(),
            id: z.string(),
            description: z.string().nullable(),
            node: z.string().nullable(),
            state: z.string(),
            verdict: VerdictSchema,
            result: z.string(),
          }),
        ),
      }),
    ),
    timeline: z
      .array(
        z.object({
          at: IsoTimeSchema,
          kind: z.enum(["job-started", "job", "result"]),
          role: z.string().nullable(),
          host: z.string().nullable(),
          number: z.number().int().nullable(),
          node: z.string().nullable(),
          description: z.string().nullable(),
          verdict: VerdictSchema.nullable(),
          result: z.string().openapi({ description: "A job's result or why it failed; a recorded result's data as JSON" }),
        }),
      )
      .openapi({
        description:
          "In the order it happened: background jobs starting, job verdicts (when a job finished), and results recorded with POST /v1/sessions/{id}/results",
      }),
  })
  .openapi("SessionSummary");

const getSessionSummary = createRoute({
  method: "get",
  path: "/v1/sessions/{id}/summary",
  tags: ["jobs"],
  summary:
    "Results summary: per host every job with PASS/FAIL and its result or why it failed, and the same in time order with the session's own results",
  request: {
    params: SessionIdParamSchema,
    query: z.object({
      format: z.enum(["json", "text"]).default("json"),
      view: z.enum(["hosts", "chronological"]).default("hosts").openapi({
        description: "For format=text: grouped per host, or one line per event in time order (LNST's log)",
      }),
    }),
  },
  responses: {
    200: { description: "The summary", content: { "application/json": { schema: SummarySchema }, "text/plain": { schema: z.string() } } },
    ...problemResponses(400, 404),
  },
});

export function registerGetSessionSummary(api: Api, { engine }: RouteDeps): void {
  api.openapi(getSessionSummary, async (c) => {
    const summary = await sessionSummary(engine, c.req.valid("param").id);
    const { format, view } = c.req.valid("query");
    if (format === "text") return c.text(view === "chronological" ? timelineText(summary.timeline) : summaryText(summary.hosts), 200);
    return c.json(
      { hosts: summary.hosts, timeline: summary.timeline.map((entry) => ({ ...entry, at: new Date(entry.at).toISOString() })) },
      200,
    );
  });
}
