import { z } from "@hono/zod-openapi";
import type { EngineContext } from "../../engine/context.ts";
import { runDeviceOperation as runOnPlace } from "../../engine/devices/device-operation.ts";
import type { DeviceOperation } from "../../protocol/host-operation-work.ts";
import type { SoftDeviceSpec } from "../../protocol/soft-device-spec.ts";
import type { TargetRequest } from "../../engine/jobs/job-target.ts";
import { BOND_MODES, isCidr } from "../../hosts/devices/device-input.ts";
import { deviceNameSchema, namespaceNameSchema, safeText, sysctlKeySchema } from "../../validation/text.ts";
import { JsonObjectSchema } from "../json-value.ts";
import { problemResponses } from "../problem.ts";

const SessionPart = { id: z.string().min(1).max(64), role: z.string().min(1).max(32) };
const NodePart = { id: z.string().min(1).max(64), lab_id: z.string().min(1).max(64), node: safeText("node").min(1).max(253) };
const NodeQuerySchema = z.object({});
const HostQuerySchema = z.object({
  netns: namespaceNameSchema.optional().openapi({
    description: "A named network namespace (`ip netns`): any, for a session holding the whole host; else one of its labs'",
  }),
});

/**
 * One of the two places devices live: a role's host (or a named network namespace there), or a node
 * of a running lab. Each device route is registered once per place.
 */
export interface DevicePlace {
  prefix: string;
  params: PlaceParams<Record<never, never>>;
  deviceParams: PlaceParams<{ device: typeof deviceNameSchema }>;
  sysctlParams: PlaceParams<{ key: typeof sysctlKeySchema }>;
  query: typeof HostQuerySchema | typeof NodeQuerySchema;
  target: (params: Record<string, string>) => TargetRequest;
}

/** The path parameters of a place, with the route's own (`device`, `key`). */
type PlaceParams<Extra extends z.ZodRawShape> = z.ZodObject<typeof SessionPart & Extra> | z.ZodObject<typeof NodePart & Extra>;

export const DEVICE_PLACES: readonly DevicePlace[] = [
  {
    prefix: "/v1/sessions/{id}/hosts/{role}",
    params: z.object(SessionPart),
    deviceParams: z.object({ ...SessionPart, device: deviceNameSchema }),
    sysctlParams: z.object({ ...SessionPart, key: sysctlKeySchema }),
    query: HostQuerySchema,
    target: (params) => ({ role: params.role! }),
  },
  {
    prefix: "/v1/sessions/{id}/labs/{lab_id}/nodes/{node}",
    params: z.object(NodePart),
    deviceParams: z.object({ ...NodePart, device: deviceNameSchema }),
    sysctlParams: z.object({ ...NodePart, key: sysctlKeySchema }),
    query: NodeQuerySchema,
    target: (params) => ({ labId: params.lab_id!, node: params.node! }),
  },
];

/** Runs one device operation at the place the request's path names, in the `netns` its query names. */
export function runDeviceOperation(
  engine: EngineContext,
  place: DevicePlace,
  params: { id: string },
  query: { netns?: string | undefined },
  operation: DeviceOperation,
): Promise<unknown> {
  return runOnPlace(engine, params.id, place.target(params as Record<string, string>), operation, query.netns ?? null);
}

export const deviceErrors = problemResponses(400, 404, 409, 413, 422, 423, 503);

const CidrSchema = z.string().max(64).refine(isCidr, "must be an IP address with a prefix length, such as 10.0.0.1/24");

export const CreateDeviceSchema = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("bridge"), name: deviceNameSchema }).strict(),
    z.object({ kind: z.literal("dummy"), name: deviceNameSchema }).strict(),
    z.object({ kind: z.literal("veth"), name: deviceNameSchema, peer: deviceNameSchema, peer_netns: namespaceNameSchema.optional() })
      .strict(),
    z.object({ kind: z.literal("vlan"), name: deviceNameSchema, parent: deviceNameSchema, vlan_id: z.number().int().min(1).max(4094) })
      .strict(),
    z.object({ kind: z.literal("bond"), name: deviceNameSchema, mode: z.enum(BOND_MODES) }).strict(),
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

/** What a change reports: how many changes were applied (each is undone when the session ends). */
export const ChangeCountSchema = z.object({ changes: z.number().int() }).openapi("ChangeCount");

export const SysctlSchema = z.object({ key: z.string(), value: z.string() }).openapi("Sysctl");

const counters = z.record(z.string(), z.number());

/** One network interface as the agent reports it (`Device` in src/hosts/devices/device-model.ts). */
export const DeviceInfoSchema = z
  .object({
    name: z.string(),
    index: z.number().int(),
    netns: z.string().nullable().openapi({ description: "The namespace it was listed in; null for the host" }),
    up: z.boolean().openapi({ description: "Administratively up (the UP flag)" }),
    operState: z.string().openapi({ description: "RFC 2863 operational state: UP, DOWN, LOWERLAYERDOWN, UNKNOWN…" }),
    flags: z.array(z.string()),
    mtu: z.number().int(),
    minMtu: z.number().int().nullable(),
    maxMtu: z.number().int().nullable(),
    mac: z.string().nullable(),
    linkType: z.string(),
    master: z.string().nullable().openapi({ description: "The bridge or bond this device is a port of" }),
    kind: z.string().nullable().openapi({ description: "Soft device kind (veth, bridge, vlan, bond, dummy…); null for physical ones" }),
    link: z.string().nullable().openapi({ description: "A VLAN's parent or a veth's peer in the same namespace" }),
    kindData: JsonObjectSchema.nullable().openapi({ description: "The kind's own settings as the kernel reports them" }),
    driver: z
      .object({
        driver: z.string(),
        version: z.string().nullable(),
        firmwareVersion: z.string().nullable(),
        busInfo: z.string().nullable(),
      })
      .nullable(),
    addresses: z.array(
      z.object({ family: z.enum(["inet", "inet6"]), local: z.string(), prefixlen: z.number().int(), scope: z.string().nullable() }),
    ),
    stats: z.object({ rx: counters, tx: counters }).nullable().openapi({ description: "Kernel link counters" }),
  })
  .openapi("DeviceInfo");

/** The API's snake_case device fields as the host's device code names them. */
export function softDeviceSpec(body: z.infer<typeof CreateDeviceSchema>): SoftDeviceSpec {
  switch (body.kind) {
    case "veth":
      return { kind: "veth", name: body.name, peer: body.peer, ...(body.peer_netns !== undefined ? { peerNetns: body.peer_netns } : {}) };
    case "vlan":
      return { kind: "vlan", name: body.name, parent: body.parent, vlanId: body.vlan_id };
    default:
      return body;
  }
}
