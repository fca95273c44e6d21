import { createRoute, z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import { checkReadiness } from "../../engine/readiness.ts";
import type { Api } from "../api.ts";

const CheckSchema = z.object({ ok: z.boolean(), detail: z.string() });
const ReadinessSchema = z
  .object({
    ready: z.boolean(),
    checks: z.object({ database: CheckSchema, migrations: CheckSchema, scheduler: CheckSchema }),
  })
  .openapi("Readiness");

const getReadyz = createRoute({
  method: "get",
  path: "/readyz",
  tags: ["system"],
  summary: "Readiness probe: the broker can do its work",
  description: "Unlike `/healthz` (the process answers), this commits a small write, compares the database's migrations with this " +
    "broker's, and checks that the housekeeping loop (reaping, promotion, reservations) keeps running. 503 lists what fails.",
  responses: {
    200: { description: "Ready", content: { "application/json": { schema: ReadinessSchema } } },
    503: { description: "Not ready; `checks` says why", content: { "application/json": { schema: ReadinessSchema } } },
  },
});

export function registerGetReadyz(api: Api, engine: EngineContext): void {
  api.openapi(getReadyz, async (c) => {
    const readiness = await checkReadiness(engine);
    return readiness.ready ? c.json(readiness, 200) : c.json(readiness, 503);
  });
}
