import { createRoute, z } from "@hono/zod-openapi";
import { sessionOwnerOf } from "../../engine/access/principal.ts";
import { sessionRightsOf } from "../../engine/access/session-rights.ts";
import { createSession } from "../../engine/sessions/create-session.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { CreateSessionBodySchema, SessionViewSchema, toRequirements, toSessionView } from "./session-schemas.ts";

const postSession = createRoute({
  method: "post",
  path: "/v1/sessions",
  tags: ["sessions"],
  summary: "Queue a session for one or more hosts",
  description:
    "Queues the session FIFO (priority first) and activates it at once when every requirement can be matched to distinct free hosts. " +
    "The same `Idempotency-Key` returns the session it first created (200) instead of booking again. " +
    "The session belongs to the caller's token: only it and admins act in it. A priority above 0 and reservations (`start_at`) need rights an admin grants the token (403 otherwise).",
  request: {
    headers: z.object({ "idempotency-key": z.string().min(1).max(200).optional() }),
    query: z.object({
      strict: z.enum(["true", "false"]).optional().openapi({
        description: "Refuse with 422 a session no registered host could ever serve",
      }),
    }),
    body: { content: { "application/json": { schema: CreateSessionBodySchema } }, required: true },
  },
  responses: {
    201: { description: "Queued (or active at once)", content: { "application/json": { schema: SessionViewSchema } } },
    200: {
      description: "The session this idempotency key created earlier",
      content: { "application/json": { schema: SessionViewSchema } },
    },
    ...problemResponses(400, 403, 409, 413, 422, 429, 503),
  },
});

export function registerPostSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(postSession, async (c) => {
    const body = c.req.valid("json");
    const { session, created } = await createSession(engine, {
      requirements: toRequirements(body.requirements),
      priority: body.priority,
      client: body.client,
      idempotencyKey: c.req.valid("header")["idempotency-key"] ?? null,
      compat: false,
      strict: c.req.valid("query").strict === "true",
      walltimeMs: body.walltime_s !== undefined ? Math.round(body.walltime_s * 1000) : null,
      startAt: body.start_at !== undefined ? Date.parse(body.start_at) : null,
      owner: sessionOwnerOf(c.get("principal")),
      rights: sessionRightsOf(c.get("principal")),
    });
    return c.json(toSessionView(engine, session), created ? 201 : 200);
  });
}
