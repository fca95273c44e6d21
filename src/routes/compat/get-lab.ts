import { createRoute, z } from "@hono/zod-openapi";
import { NotFoundError } from "../../engine/errors.ts";
import type { Api } from "../api.ts";
import { DeviceSchema, labDevices } from "../labs/lab-schemas.ts";
import { compatErrorResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { compatLab, CompatLabStatusSchema } from "./compat-lab.ts";
import { activeCompatSession, SessionHeaderSchema } from "./compat-schemas.ts";

const getLab = createRoute({
  method: "get",
  path: "/lab",
  tags: ["remote-lab"],
  summary: "Remote Lab: the session's lab status",
  request: { headers: SessionHeaderSchema },
  responses: {
    200: { description: "Status", content: { "application/json": { schema: CompatLabStatusSchema } } },
    ...compatErrorResponses(404, 422, 423),
  },
});

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

export function registerCompatGetLab(api: Api, { engine }: RouteDeps): void {
  api.openapi(getLab, (c) => {
    const lab = compatLab(engine, activeCompatSession(engine, c.req.valid("header")["x-session-id"]));
    const running = lab?.state === "running";
    return c.json(
      {
        running,
        topology: lab?.topologyFile ?? null,
        ref_count: lab?.holders.length ?? 0,
        devices: running && lab ? labDevices(lab) : [],
        netlab_status: lab?.runtime === "netlab" ? lab.state : null,
      },
      200,
    );
  });
  api.openapi(getLabDevices, (c) => {
    const lab = compatLab(engine, activeCompatSession(engine, c.req.valid("header")["x-session-id"]));
    if (lab?.state !== "running") throw new NotFoundError("No lab running");
    return c.json(labDevices(lab), 200);
  });
}
