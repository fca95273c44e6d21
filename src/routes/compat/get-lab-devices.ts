import { createRoute, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../engine/errors.ts";
import type { Api } from "../api.ts";
import { DeviceSchema, labDevices } from "../labs/lab-schemas.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { compatLab } from "./compat-lab.ts";
import { activeCompatSession, SessionHeaderSchema } from "./compat-schemas.ts";

const getLabDevices = createRoute({
  method: "get",
  path: "/lab/devices",
  tags: ["remote-lab"],
  summary: "Remote Lab: the running lab's devices",
  request: { headers: SessionHeaderSchema },
  responses: {
    200: { description: "Devices", content: { "application/json": { schema: z.array(DeviceSchema) } } },
    ...compatErrorResponses(404, 422, 423),
  },
});

export function registerCompatGetLabDevices(api: Api, { engine }: RouteDeps): void {
  api.openapi(getLabDevices, (c) => {
    const lab = compatLab(engine, activeCompatSession(engine, c.req.valid("header")["x-session-id"]));
    if (lab?.state !== "running") throw new NotFoundError("No lab running");
    return c.json(labDevices(lab), 200);
  });
}
