import { createRoute, z } from "@hono/zod-openapi";
import { liveSessionCounts } from "../../engine/sessions/queue-standing.ts";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";

const getDebugHealth = createRoute({
  method: "get",
  path: "/debug/health",
  tags: ["remote-lab"],
  summary: "Remote Lab: broker status with session and queue counts",
  responses: {
    200: {
      description: "Status",
      content: {
        "application/json": {
          schema: z
            .object({
              status: z.literal("ok"),
              timestamp: z.number().openapi({ description: "UNIX time in seconds" }),
              uptime: z.number().openapi({ description: "Seconds since the broker started" }),
              sessions: z.number().int().openapi({ description: "Waiting and active sessions" }),
              queue_length: z.number().int().openapi({ description: "Waiting sessions" }),
            })
            .openapi("CompatHealth"),
        },
      },
    },
  },
});

export function registerCompatGetDebugHealth(api: Api, { engine }: RouteDeps): void {
  api.openapi(getDebugHealth, (c) => {
    const now = engine.clock.now();
    const counts = liveSessionCounts(engine);
    return c.json(
      {
        status: "ok" as const,
        timestamp: now / 1000,
        uptime: (now - engine.startedAt) / 1000,
        sessions: counts.live,
        queue_length: counts.waiting,
      },
      200,
    );
  });
}
