import { createRoute, z } from "@hono/zod-openapi";
import { sessionOwnerOf } from "../../engine/access/principal.ts";
import { createSession } from "../../engine/sessions/create-session.ts";
import { sessionsAhead } from "../../engine/sessions/queue-standing.ts";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { compatPosition } from "./compat-schemas.ts";

const postCompatSession = createRoute({
  method: "post",
  path: "/session",
  tags: ["remote-lab"],
  summary: "Remote Lab: join the queue for one lab host",
  description:
    "Asks for one host matching the broker's compat requirement (`--compat-requirement`). Position 0 means it became active at once.",
  responses: {
    201: {
      description: "Queued",
      content: {
        "application/json": { schema: z.object({ session_id: z.string(), position: z.number().int() }).openapi("CompatNewSession") },
      },
    },
    ...compatErrorResponses(429, 503),
  },
});

export function registerCompatPostSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(postCompatSession, async (c) => {
    const { session } = await createSession(engine, {
      requirements: [{ role: "m1", ...engine.settings.compatRequirement }],
      priority: 0,
      client: {},
      idempotencyKey: null,
      compat: true,
      strict: false,
      owner: sessionOwnerOf(c.get("principal")),
    });
    return c.json({ session_id: session.id, position: compatPosition(sessionsAhead(engine, session), session) }, 201);
  });
}
