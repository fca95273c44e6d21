import { createRoute, z } from "@hono/zod-openapi";
import { deleteLab } from "../../engine/labs/lab-actions.ts";
import type { Api } from "../api.ts";
import { parseFormBool } from "../labs/lab-upload.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { compatLab } from "./compat-lab.ts";
import { activeCompatSession, SessionHeaderSchema } from "./compat-schemas.ts";

const deleteLabRoute = createRoute({
  method: "delete",
  path: "/lab",
  tags: ["remote-lab"],
  summary: "Remote Lab: destroy the session's lab",
  request: {
    headers: SessionHeaderSchema,
    query: z.object({ force: z.string().optional().openapi({ description: "Destroy even while held (default true)" }) }),
  },
  responses: {
    202: { description: "A running lab is being destroyed" },
    204: { description: "No lab ran" },
    ...compatErrorResponses(404, 409, 422, 423),
  },
});

export function registerCompatDeleteLab(api: Api, { engine }: RouteDeps): void {
  api.openapi(deleteLabRoute, async (c) => {
    const session = activeCompatSession(engine, c.req.valid("header")["x-session-id"]);
    const force = parseFormBool(c.req.valid("query").force, true, ["query", "force"]);
    const lab = compatLab(engine, session);
    const wasRunning = lab?.state === "running";
    if (lab) await deleteLab(engine, lab, force, "deleted through DELETE /lab");
    return c.body(null, wasRunning ? 202 : 204);
  });
}
