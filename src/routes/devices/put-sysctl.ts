import { createRoute, z } from "@hono/zod-openapi";
import { sysctlValueSchema } from "../../validation/text.ts";
import type { Api } from "../api.ts";
import type { RouteDeps } from "../route-deps.ts";
import { ChangeCountSchema, DEVICE_PLACES, deviceErrors, type DevicePlace, runDeviceOperation } from "./device-schemas.ts";

const SetSysctlSchema = z.object({ value: sysctlValueSchema }).strict().openapi("SetSysctl");

const putSysctl = (place: DevicePlace) =>
  createRoute({
    method: "put",
    path: `${place.prefix}/sysctls/{key}`,
    tags: ["devices"],
    summary: "Set a sysctl (its old value comes back when the session ends)",
    request: {
      params: place.sysctlParams,
      query: place.query,
      body: { content: { "application/json": { schema: SetSysctlSchema } }, required: true },
    },
    responses: { 200: { description: "Set", content: { "application/json": { schema: ChangeCountSchema } } }, ...deviceErrors },
  });

export function registerPutSysctl(api: Api, { engine }: RouteDeps): void {
  for (const place of DEVICE_PLACES) {
    api.openapi(putSysctl(place), async (c) => {
      const params = c.req.valid("param");
      const value = await runDeviceOperation(engine, place, params, c.req.valid("query"), {
        operation: "sysctl",
        key: params.key,
        value: c.req.valid("json").value,
      });
      return c.json(ChangeCountSchema.parse(value), 200);
    });
  }
}
