import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import {
  ChangeCountSchema,
  ChangeDeviceSchema,
  DEVICE_PLACES,
  deviceErrors,
  type DevicePlace,
  runDeviceOperation,
} from "./device-schemas.ts";

const patchDevice = (place: DevicePlace) =>
  createRoute({
    method: "patch",
    path: `${place.prefix}/devices/{device}`,
    tags: ["devices"],
    summary: "Change a device: up/down, MTU, master, addresses; undone when the session ends",
    request: {
      params: place.deviceParams,
      query: place.query,
      body: { content: { "application/json": { schema: ChangeDeviceSchema } }, required: true },
    },
    responses: { 200: { description: "Changed", content: { "application/json": { schema: ChangeCountSchema } } }, ...deviceErrors },
  });

export function registerPatchDevice(api: Api, { engine }: RouteDeps): void {
  for (const place of DEVICE_PLACES) {
    api.openapi(patchDevice(place), async (c) => {
      const params = c.req.valid("param");
      const value = await runDeviceOperation(engine, place, params, c.req.valid("query"), {
        operation: "change",
        device: params.device,
        ...c.req.valid("json"),
      });
      return c.json(ChangeCountSchema.parse(value), 200);
    });
  }
}
