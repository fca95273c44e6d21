import { createRoute, z } from "@hono/zod-openapi";
import { allowReenrollment } from "../../engine/agents/agent-credential.ts";
import { updateHost } from "../../engine/hosts/update-host.ts";
import { actorName } from "../../engine/access/principal.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { LabelKeySchema } from "../../validation/label-key.ts";
import { HostIdParamSchema, HostViewSchema, toHostView } from "./host-schemas.ts";

export const PatchHostBodySchema = z
  .object({
    labels: z
      .record(LabelKeySchema, z.string().max(253).nullable())
      .optional()
      .openapi({
        description: "Admin label overrides, merged: a string sets, null removes the override",
        example: { rack: "r12", legacy: null },
      }),
    capacity: z.number().int().min(0).max(200).nullable().optional().openapi({
      description: "Slot override; null returns to the agent's value",
    }),
    drain: z.boolean().optional().openapi({ description: "Finish current sessions, take no new ones" }),
    maintenance: z.boolean().optional().openapi({ description: "Take no sessions at all until cleared" }),
    reenroll: z
      .literal(true)
      .optional()
      .openapi({
        description:
          "Release the host's name: its agent token stops working and the next agent enrolling under the name takes the host (a reinstalled agent that lost its work dir)",
      }),
    reason: z.string().min(1).max(500).optional().openapi({
      description: "Why the host is drained or in maintenance; shown with the host until both are cleared",
    }),
    by: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({
        description: "Who asks, recorded after the token's name (the CLI sends the local user name: useful behind a shared admin token)",
      }),
    health: z.literal("clear").optional().openapi({
      description:
        "Accept the host as it is: an unhealthy host turns healthy and its agent takes the host's present state as the new baseline",
    }),
    health_check_every_s: z
      .number()
      .int()
      .min(60)
      .max(7 * 86400)
      .nullable()
      .optional()
      .openapi({
        description:
          "Check the idle host this often (LAVA-style periodic health checks, results in the host's events); null: only after sessions",
      }),
  })
  .strict()
  .refine((body) => body.reason === undefined || body.drain === true || body.maintenance === true, {
    message: "a reason goes with drain: true or maintenance: true",
    path: ["reason"],
  })
  .openapi("PatchHost");

const patchHost = createRoute({
  method: "patch",
  path: "/v1/hosts/{id}",
  tags: ["hosts"],
  summary: "Change a host's labels, capacity, drain, maintenance or health gate, or release its name for a new agent",
  request: { params: HostIdParamSchema, body: { content: { "application/json": { schema: PatchHostBodySchema } }, required: true } },
  responses: {
    200: { description: "The host", content: { "application/json": { schema: HostViewSchema } } },
    ...problemResponses(400, 404, 503),
  },
});

export function registerPatchHost(api: Api, { engine }: RouteDeps): void {
  api.openapi(patchHost, async (c) => {
    const body = c.req.valid("json");
    const host = await updateHost(engine, c.req.valid("param").id, {
      ...(body.labels ? { labels: body.labels } : {}),
      ...(body.capacity !== undefined ? { capacity: body.capacity } : {}),
      ...(body.drain !== undefined ? { drain: body.drain } : {}),
      ...(body.maintenance !== undefined ? { maintenance: body.maintenance } : {}),
      ...(body.reason !== undefined ? { reason: body.reason } : {}),
      // Who took the host out of service: the token's name, with a client's own `by` (a person behind a shared admin token) beside it.
      ...(body.drain === true || body.maintenance === true
        ? { by: body.by === undefined ? actorName(c.get("principal")) : `${actorName(c.get("principal"))} (${body.by})` }
        : {}),
      ...(body.health ? { health: body.health } : {}),
      ...(body.health_check_every_s !== undefined ? { healthCheckEveryS: body.health_check_every_s } : {}),
    });
    if (body.reenroll) await allowReenrollment(engine, host);
    return c.json(toHostView(host), 200);
  });
}
