import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import { labDevices } from "../labs/lab-schemas.ts";
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
}
