import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { ChangeCountSchema, DEVICE_PLACES, deviceErrors, type DevicePlace, runDeviceOperation } from "./device-schemas.ts";

const deleteDevice = (place: DevicePlace) =>
  createRoute({
    method: "delete",
    path: `${place.prefix}/devices/{device}`,
    tags: ["devices"],
    summary: "Remove a device (recreated when the session ends)",
    request: { params: place.deviceParams, query: place.query },
    responses: { 200: { description: "Removed", content: { "application/json": { schema: ChangeCountSchema } } }, ...deviceErrors },
  });

export function registerDeleteDevice(api: Api, { engine }: RouteDeps): void {
  for (const place of DEVICE_PLACES) {
    api.openapi(deleteDevice(place), async (c) => {
      const params = c.req.valid("param");
      const value = await runDeviceOperation(engine, place, params, c.req.valid("query"), { operation: "remove", device: params.device });
      return c.json(ChangeCountSchema.parse(value), 200);
    });
  }
}
