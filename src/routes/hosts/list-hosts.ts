import { createRoute, z } from "@hono/zod-openapi";
import { listHosts as listRegisteredHosts } from "../../engine/hosts/list-hosts.ts";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { HostViewSchema, toHostView } from "./host-schemas.ts";

const listHosts = createRoute({
  method: "get",
  path: "/v1/hosts",
  tags: ["hosts"],
  summary: "Every registered host with its state, labels, runtimes and holders",
  responses: {
    200: { description: "Hosts by name", content: { "application/json": { schema: z.object({ items: z.array(HostViewSchema) }) } } },
  },
});

export function registerListHosts(api: Api, { engine }: RouteDeps): void {
  api.openapi(listHosts, (c) => {
    return c.json({ items: listRegisteredHosts(engine).map(toHostView) }, 200);
  });
}
