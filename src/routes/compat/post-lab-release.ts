import { createRoute } from "@hono/zod-openapi";
import { NotFoundError } from "../../engine/errors.ts";
import { releaseLab } from "../../engine/labs/lab-actions.ts";
import type { Api } from "../api.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { compatLab } from "./compat-lab.ts";
import { activeCompatSession, SessionHeaderSchema } from "./compat-schemas.ts";

const postLabRelease = createRoute({
  method: "post",
  path: "/lab/release",
  tags: ["remote-lab"],
  summary: "Remote Lab: drop one of this session's holds on its lab (one per acquire; the lab keeps running for reuse)",
  request: { headers: SessionHeaderSchema },
  responses: { 204: { description: "Released" }, ...compatErrorResponses(404, 422, 423) },
});

export function registerCompatPostLabRelease(api: Api, { engine }: RouteDeps): void {
  api.openapi(postLabRelease, async (c) => {
    const session = activeCompatSession(engine, c.req.valid("header")["x-session-id"]);
    const lab = compatLab(engine, session);
    if (!lab || lab.state !== "running") throw new NotFoundError("No lab running");
    await releaseLab(engine, lab, session.id, "one");
    return c.body(null, 204);
  });
}
