import { createRoute, z } from "@hono/zod-openapi";
import { addSessionResult } from "../../engine/jobs/session-results.ts";
import type { Api } from "../api.ts";
import { IsoTimeSchema } from "../iso-time.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema } from "../sessions/session-schemas.ts";
import { JsonValueSchema } from "../json-value.ts";

/** Largest `data` of one result, as JSON text. */
const MAX_DATA_BYTES = 64 * 1024;

const ResultBodySchema = z
  .object({
    description: z.string().trim().min(1).max(500).openapi({ description: "What was checked, e.g. 'throughput above 9 Gbit/s'" }),
    result: z.enum(["PASS", "FAIL"]),
    data: JsonValueSchema
      .refine(
        (data) => data === undefined || new TextEncoder().encode(JSON.stringify(data)).byteLength <= MAX_DATA_BYTES,
        `must be at most ${MAX_DATA_BYTES} bytes of JSON`,
      )
      .optional()
      .openapi({ description: "Any JSON the test wants kept with the result (measurements, …)" }),
  })
  .strict()
  .openapi("SessionResultRequest", { example: { description: "throughput above 9 Gbit/s", result: "PASS", data: { gbps: 9.41 } } });

export const SessionResultSchema = z
  .object({
    id: z.string(),
    session_id: z.string(),
    description: z.string(),
    result: z.enum(["PASS", "FAIL"]),
    data: JsonValueSchema,
    created_at: IsoTimeSchema,
  })
  .openapi("SessionResult");

const postSessionResult = createRoute({
  method: "post",
  path: "/v1/sessions/{id}/results",
  tags: ["jobs"],
  summary: "Record a result of the test's own (LNST's custom result): a description, PASS or FAIL, and data",
  description:
    "Shown in the session's summary timeline beside its jobs. Only an active session records results (423 while waiting, 409 once ended); at most 10000 per session (422).",
  request: { params: SessionIdParamSchema, body: { content: { "application/json": { schema: ResultBodySchema } }, required: true } },
  responses: {
    201: { description: "Recorded", content: { "application/json": { schema: SessionResultSchema } } },
    ...problemResponses(400, 404, 409, 422, 423),
  },
});

export function registerPostSessionResult(api: Api, { engine }: RouteDeps): void {
  api.openapi(postSessionResult, async (c) => {
    const body = c.req.valid("json");
    const recorded = await addSessionResult(engine, c.req.valid("param").id, {
      description: body.description,
      verdict: body.result,
      data: body.data,
    });
    return c.json(
      {
        id: recorded.id,
        session_id: recorded.sessionId,
        description: recorded.description,
        result: recorded.verdict,
        data: recorded.data,
        created_at: new Date(recorded.createdAt).toISOString(),
      },
      201,
    );
  });
}
