import { createRoute, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../engine/errors.ts";
import { oldestActiveSession } from "../../engine/sessions/queue-standing.ts";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

const getActiveSession = createRoute({
  method: "get",
  path: "/active-session",
  tags: ["remote-lab"],
  summary: "Remote Lab: the oldest active session of the caller (of anyone, for admins)",
  responses: {
    200: {
      description: "The oldest active session",
      content: {
        "application/json": {
          schema: z.object({ session_id: z.string(), status: z.literal("active"), position: z.literal(0) }).openapi("CompatActiveSession"),
        },
      },
    },
    ...compatErrorResponses(401, 403, 404),
  },
});

export function registerCompatGetActiveSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(getActiveSession, (c) => {
    const oldest = oldestActiveSession(engine, c.get("principal"));
    if (!oldest) throw new NotFoundError("No active session");
    return c.json({ session_id: oldest.id, status: "active" as const, position: 0 as const }, 200);
  });
}
