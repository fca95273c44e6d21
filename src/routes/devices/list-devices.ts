import { createRoute, z } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { DEVICE_PLACES, deviceErrors, DeviceInfoSchema, type DevicePlace, runDeviceOperation } from "./device-schemas.ts";

const DeviceListSchema = z.array(DeviceInfoSchema);

const listDevices = (place: DevicePlace) =>
  createRoute({
    method: "get",
    path: `${place.prefix}/devices`,
    tags: ["devices"],
    summary: "List interfaces: state, MTU, MAC, addresses, master, driver, statistics",
    request: { params: place.params, query: place.query },
    responses: { 200: { description: "The interfaces", content: { "application/json": { schema: DeviceListSchema } } }, ...deviceErrors },
  });

export function registerListDevices(api: Api, { engine }: RouteDeps): void {
  for (const place of DEVICE_PLACES) {
    api.openapi(listDevices(place), async (c) => {
      const value = await runDeviceOperation(engine, place, c.req.valid("param"), c.req.valid("query"), { operation: "list" });
      return c.json(DeviceListSchema.parse(value), 200);
    });
  }
}
