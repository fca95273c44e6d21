import { sessionRightsOf } from "../../engine/access/session-rights.ts";
import { createRoute, z } from "@hono/zod-openapi";
import { changeWalltime } from "../../engine/time/change-walltime.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { SessionIdParamSchema, SessionViewSchema, toSessionView, WalltimeOffsetSchema } from "./session-schemas.ts";

const patchSession = createRoute({
  method: "patch",
  path: "/v1/sessions/{id}",
  tags: ["sessions"],
  summary: "Extend or shorten a session's walltime",
  description:
    "Refused with 409 (and `conflicting_start`) when the new end would run into a reservation on one of its hosts, and with 422 (nothing clamped) when it would end an active session before now, " +
    "leave a walltime or booking of zero length or less, or exceed the broker's maximum walltime.",
  request: {
    params: SessionIdParamSchema,
    body: {
      content: {
        "application/json": {
          schema: z.object({ offset_walltime_s: WalltimeOffsetSchema }).strict().openapi("PatchSession", {
            example: { offset_walltime_s: 600 },
          }),
        },
      },
      required: true,
    },
  },
  responses: {
    200: { description: "The session", content: { "application/json": { schema: SessionViewSchema } } },
    ...problemResponses(400, 403, 404, 409, 422),
  },
});

export function registerPatchSession(api: Api, { engine }: RouteDeps): void {
  api.openapi(patchSession, async (c) => {
    const session = await changeWalltime(
      engine,
      c.req.valid("param").id,
      Math.round(c.req.valid("json").offset_walltime_s * 1000),
      sessionRightsOf(c.get("principal")),
    );
    return c.json(toSessionView(engine, session), 200);
  });
}
