import { createRoute } from "@hono/zod-openapi";
import { requestInventoryRefresh } from "../../engine/hosts/refresh-inventory.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";
import { toWorkView, WorkViewSchema } from "../work/work-schemas.ts";
import { HostIdParamSchema } from "./host-schemas.ts";

const postRefreshInventory = createRoute({
  method: "post",
  path: "/v1/hosts/{id}/refresh-inventory",
  tags: ["hosts"],
  summary: "Ask the host's agent to detect runtimes and inventory again",
  request: { params: HostIdParamSchema },
  responses: {
    202: { description: "Queued for the agent", content: { "application/json": { schema: WorkViewSchema } } },
    ...problemResponses(404, 503),
  },
});

export function registerPostRefreshInventory(api: Api, { engine }: RouteDeps): void {
  api.openapi(postRefreshInventory, async (c) => c.json(toWorkView(await requestInventoryRefresh(engine, c.req.valid("param").id)), 202));
}
