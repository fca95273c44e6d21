import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { DEVICE_PLACES, deviceErrors, type DevicePlace, runDeviceOperation, SysctlSchema } from "./device-schemas.ts";

const getSysctl = (place: DevicePlace) =>
  createRoute({
    method: "get",
    path: `${place.prefix}/sysctls/{key}`,
    tags: ["devices"],
    summary: "Read a sysctl",
    request: { params: place.sysctlParams, query: place.query },
    responses: { 200: { description: "Its value", content: { "application/json": { schema: SysctlSchema } } }, ...deviceErrors },
  });

export function registerGetSysctl(api: Api, { engine }: RouteDeps): void {
  for (const place of DEVICE_PLACES) {
    api.openapi(getSysctl(place), async (c) => {
      const params = c.req.valid("param");
      const value = await runDeviceOperation(engine, place, params, c.req.valid("query"), { operation: "sysctl", key: params.key });
      return c.json(SysctlSchema.parse(value), 200);
    });
  }
}
