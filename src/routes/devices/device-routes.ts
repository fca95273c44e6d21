import { createRoute, z } from "@hono/zod-openapi";
import { runDeviceOperation } from "../../engine/devices/device-operation.ts";
import type { DeviceOperation } from "../../protocol/host-operation-work.ts";
import type { SoftDeviceSpec } from "../../protocol/soft-device-spec.ts";
import type { TargetRequest } from "../../engine/jobs/job-target.ts";
import { BOND_MODES, isCidr } from "../../hosts/devices/device-input.ts";
import { deviceNameSchema, namespaceNameSchema, safeText, sysctlKeySchema, sysctlValueSchema } from "../../validation/text.ts";
import type { Api } from "../api.ts";
import { problemResponses } from "../problem.ts";
import type { RouteDeps } from "../route-deps.ts";

/** The two places devices live: a role's host (or a named network namespace there), or a node of a running lab. */
const PLACES = [
  {
    prefix: "/v1/sessions/{id}/hosts/{role}",
    params: z.object({ id: z.string().min(1).max(64), role: z.string().min(1).max(32) }),
    query: z.object({
      netns: namespaceNameSchema.optional().openapi({
        description: "A network namespace of one of the session's labs, or one its jobs created (`ip netns`)",
      }),
    }),
    target: (params: Record<string, string>): TargetRequest => ({ role: params.role }),
  },
  {
    prefix: "/v1/sessions/{id}/labs/{lab_id}/nodes/{node}",
    params: z.object({ id: z.string().min(1).max(64), lab_id: z.string().min(1).max(64), node: safeText("node").min(1).max(253) }),
    query: z.object({}),
    target: (params: Record<string, string>): TargetRequest => ({ labId: params.lab_id, node: params.node }),
  },
] as const;

const DeviceNameSchema = deviceNameSchema;
const CidrSchema = z.string().max(64).refine(isCidr, "must be an IP address with a prefix length, such as 10.0.0.1/24");
export const CreateDeviceSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("bridge"), name: DeviceNameSchema }).strict(),
    z.object({ kind: z.literal("dummy"), name: DeviceNameSchema }).strict(),
    z.object({ kind: z.literal("veth"), name: DeviceNameSchema, peer: DeviceNameSchema, peer_netns: namespaceNameSchema.optional() })
      .strict(),
    z.object({ kind: z.literal("vlan"), name: DeviceNameSchema, parent: DeviceNameSchema, vlan_id: z.number().int().min(1).max(4094) })
      .strict(),
    z.object({ kind: z.literal("bond"), name: DeviceNameSchema, mode: z.enum(BOND_MODES) }).strict(),
  ])
  .openapi("CreateDevice");
export const ChangeDeviceSchema = z
  .object({
    up: z.boolean().optional(),
    mtu: z.number().int().min(68).max(65535).optional(),
    master: deviceNameSchema.nullable().optional().openapi({ description: "Enslave to this bridge or bond; null frees it" }),
    add_addresses: z.array(CidrSchema).max(100).default([]).openapi({ example: ["10.0.0.1/24"] }),
    remove_addresses: z.array(CidrSchema).max(100).default([]),
  })
  .strict()
  .openapi("ChangeDevice");
const anyJson = { description: "Result", content: { "application/json": { schema: z.unknown() } } };
const errors = problemResponses(400, 404, 409, 413, 422, 423, 503);

export function registerDeviceRoutes(api: Api, { engine }: RouteDeps): void {
  for (const place of PLACES) {
    const run = (params: Record<string, string>, query: { netns?: string }, operation: DeviceOperation) =>
      runDeviceOperation(engine, params.id!, place.target(params), operation, query.netns ?? null);
    const device = place.params.extend({ device: DeviceNameSchema });
    const sysctl = place.params.extend({ key: sysctlKeySchema });

    api.openapi(
      createRoute({
        method: "get",
        path: `${place.prefix}/devices`,
        tags: ["devices"],
        summary: "List interfaces: state, MTU, MAC, addresses, master, driver, statistics",
        request: { params: place.params, query: place.query },
        responses: { 200: anyJson, ...errors },
      }),
      async (c) => c.json((await run(c.req.valid("param"), c.req.valid("query"), { operation: "list" })) as never, 200),
    );
    api.openapi(
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
        responses: { 201: anyJson, ...errors },
      }),
      async (c) => {
        const spec = softDeviceSpec(c.req.valid("json"));
        return c.json((await run(c.req.valid("param"), c.req.valid("query"), { operation: "create", spec })) as never, 201);
      },
    );
    api.openapi(
      createRoute({
        method: "patch",
        path: `${place.prefix}/devices/{device}`,
        tags: ["devices"],
        summary: "Change a device: up/down, MTU, master, addresses; undone when the session ends",
        request: {
          params: device,
          query: place.query,
          body: { content: { "application/json": { schema: ChangeDeviceSchema } }, required: true },
        },
        responses: { 200: anyJson, ...errors },
      }),
      async (c) =>
        c.json(
          (await run(c.req.valid("param"), c.req.valid("query"), {
            operation: "change",
            device: c.req.valid("param").device,
            ...c.req.valid("json"),
          })) as never,
          200,
        ),
    );
    api.openapi(
      createRoute({
        method: "delete",
        path: `${place.prefix}/devices/{device}`,
        tags: ["devices"],
        summary: "Remove a device (recreated when the session ends)",
        request: { params: device, query: place.query },
        responses: { 200: anyJson, ...errors },
      }),
      async (c) =>
        c.json(
          (await run(c.req.valid("param"), c.req.valid("query"), { operation: "remove", device: c.req.valid("param").device })) as never,
          200,
        ),
    );
    api.openapi(
      createRoute({
        method: "get",
        path: `${place.prefix}/sysctls/{key}`,
        tags: ["devices"],
        summary: "Read a sysctl",
        request: { params: sysctl, query: place.query },
        responses: { 200: anyJson, ...errors },
      }),
      async (c) =>
        c.json(
          (await run(c.req.valid("param"), c.req.valid("query"), { operation: "sysctl", key: c.req.valid("param").key })) as never,
          200,
        ),
    );
    api.openapi(
      createRoute({
        method: "put",
        path: `${place.prefix}/sysctls/{key}`,
        tags: ["devices"],
        summary: "Set a sysctl (its old value comes back when the session ends)",
        request: {
          params: sysctl,
          query: place.query,
          body: { content: { "application/json": { schema: z.object({ value: sysctlValueSchema }).strict() } }, required: true },
        },
        responses: { 200: anyJson, ...errors },
      }),
      async (c) =>
        c.json(
          (await run(c.req.valid("param"), c.req.valid("query"), {
            operation: "sysctl",
            key: c.req.valid("param").key,
            value: c.req.valid("json").value,
          })) as never,
          200,
        ),
    );
  }
}

/** The API's snake_case device fields as the host's device code names them. */
function softDeviceSpec(body: z.infer<typeof CreateDeviceSchema>): SoftDeviceSpec {
  switch (body.kind) {
    case "veth":
      return { kind: "veth", name: body.name, peer: body.peer, ...(body.peer_netns !== undefined ? { peerNetns: body.peer_netns } : {}) };
    case "vlan":
      return { kind: "vlan", name: body.name, parent: body.parent, vlanId: body.vlan_id };
    default:
      return body;
  }
}
