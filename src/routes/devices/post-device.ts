import { createRoute } from "@hono/zod-openapi";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import {
  ChangeCountSchema,
  CreateDeviceSchema,
  DEVICE_PLACES,
  deviceErrors,
  type DevicePlace,
  runDeviceOperation,
  softDeviceSpec,
} from "./device-schemas.ts";

const postDevice = (place: DevicePlace) =>
  createRoute({
    method: "post",
    path: `${place.prefix}/devices`,
    tags: ["devices"],
    summary: "Create a soft device (bridge, veth pair, VLAN, dummy, bond); undone when the session ends",
    request: {
      params: place.params,
      query: place.query,
      body: { content: { "application/json": { schema: CreateDeviceSchema } }, required: true },
    },
    responses: { 201: { description: "Created", content: { "application/json": { schema: ChangeCountSchema } } }, ...deviceErrors },
  });

export function registerPostDevice(api: Api, { engine }: RouteDeps): void {
  for (const place of DEVICE_PLACES) {
    api.openapi(postDevice(place), async (c) => {
      const spec = softDeviceSpec(c.req.valid("json"));
      const value = await runDeviceOperation(engine, place, c.req.valid("param"), c.req.valid("query"), { operation: "create", spec });
      return c.json(ChangeCountSchema.parse(value), 201);
    });
  }
}
