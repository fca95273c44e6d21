import { createRoute, z } from "@hono/zod-openapi";
import { listSessions } from "../../engine/sessions/find-session.ts";
import { SESSION_STATES } from "../../engine/model.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionViewSchema, toSessionView } from "./session-schemas.ts";

export const ListSessionsQuerySchema = z.object({
  state: z.enum(SESSION_STATES).optional(),
  host: z.string().min(1).optional().openapi({ description: "Only sessions assigned this host id" }),
  client_name: z.string().min(1).optional(),
  q: z.string().min(1).max(200).optional().openapi({
    description: "Search: the id, client name, CI job id, end reason or a held host's name contains this (any case)",
  }),
  before_seq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const listSessionsRoute = createRoute({
  method: "get",
  path: "/v1/sessions",
  tags: ["sessions"],
  summary: "List sessions",
  description: "Waiting and active sessions in queue order (the default), or ended sessions newest first. Page with `before_seq`.",
  request: { query: ListSessionsQuerySchema },
  responses: {
    200: {
      description: "Sessions",
      content: { "application/json": { schema: z.object({ items: z.array(SessionViewSchema.extend({ seq: z.number().int() })) }) } },
    },
    ...problemResponses(400),
  },
});

export function registerListSessions(api: Api, { engine }: RouteDeps): void {
  api.openapi(listSessionsRoute, async (c) => {
    const query = c.req.valid("query");
    const found = await listSessions(engine, {
      limit: query.limit,
      ...(query.state ? { state: query.state } : {}),
      ...(query.host ? { hostId: query.host } : {}),
      ...(query.client_name ? { clientName: query.client_name } : {}),
      ...(query.q ? { text: query.q } : {}),
      ...(query.before_seq ? { beforeSeq: query.before_seq } : {}),
    });
    return c.json({ items: found.map((session) => ({ ...toSessionView(engine, session), seq: session.seq })) }, 200);
  });
}
