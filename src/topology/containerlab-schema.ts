import { z } from "zod";

/**
 * The containerlab topology file as containerlab unmarshals it: strict objects (an unknown key is an
 * error, as with Go's `yaml.UnmarshalStrict`), every node field containerlab knows, so that fields
 * the native runtime cannot honour are reported as notes instead of being refused as typos.
 * Semantic checks (names, addresses, links) live in the files that use these shapes.
 */

/** Go decodes any YAML scalar into a string field by its text (`env: {PORT: 8080}`). */
const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform(String);
const textList = z.array(scalarText);
const textMap = z.record(z.string(), scalarText);
/** A key containerlab accepts whose content the native runtime only reports, never reads. */
const opaque = z.unknown().optional();

export const nodeDefinitionSchema = z.strictObject({
  kind: scalarText.nullish(),
  group: scalarText.nullish(),
  type: scalarText.nullish(),
  "startup-config": scalarText.nullish(),
  "startup-delay": z.number().int().nonnegative().nullish(),
  "enforce-startup-config": z.boolean().nullish(),
  "suppress-startup-config": z.boolean().nullish(),
  "auto-remove": z.boolean().nullish(),
  "restart-policy": scalarText.nullish(),
  config: opaque,
  image: scalarText.nullish(),
  "image-pull-policy": scalarText.nullish(),
  license: scalarText.nullish(),
  position: scalarText.nullish(),
  entrypoint: scalarText.nullish(),
  cmd: scalarText.nullish(),
  exec: textList.nullish(),
  binds: textList.nullish(),
  devices: textList.nullish(),
  "cap-add": textList.nullish(),
  "shm-size": scalarText.nullish(),
  ports: textList.nullish(),
  "mgmt-ipv4": scalarText.nullish(),
  "mgmt-ipv6": scalarText.nullish(),
  env: textMap.nullish(),
  "env-files": textList.nullish(),
  user: scalarText.nullish(),
  labels: textMap.nullish(),
  "network-mode": scalarText.nullish(),
  sandbox: scalarText.nullish(),
  kernel: scalarText.nullish(),
  runtime: scalarText.nullish(),
  cpu: z.number().nullish(),
  "cpu-set": scalarText.nullish(),
  memory: scalarText.nullish(),
  sysctls: textMap.nullish(),
  extras: opaque,
  stages: opaque,
  dns: opaque,
  certificate: opaque,
  healthcheck: opaque,
  aliases: textList.nullish(),
  components: opaque,
});

export type NodeDefinition = z.infer<typeof nodeDefinitionSchema>;

const mgmtSchema = z.strictObject({
  network: scalarText.nullish(),
  bridge: scalarText.nullish(),
  "ipv4-subnet": scalarText.nullish(),
  "ipv4-gw": scalarText.nullish(),
  "ipv4-range": scalarText.nullish(),
  "ipv6-subnet": scalarText.nullish(),
  "ipv6-gw": scalarText.nullish(),
  "ipv6-range": scalarText.nullish(),
  mtu: z.number().int().nullish(),
  "external-access": z.boolean().nullish(),
  driver: scalarText.nullish(),
  "driver-opts": textMap.nullish(),
});

const linkCommon = {
  type: scalarText.nullish(),
  mtu: z.number().int().nullish(),
  labels: textMap.nullish(),
  vars: opaque,
};

export const endpointObjectSchema = z.strictObject({
  node: scalarText,
  interface: scalarText,
  mac: scalarText.nullish(),
});

export const briefLinkSchema = z.strictObject({ ...linkCommon, endpoints: z.array(scalarText), ipv4: opaque, ipv6: opaque });
export const vethLinkSchema = z.strictObject({ ...linkCommon, endpoints: z.array(endpointObjectSchema) });
export const hostLinkSchema = z.strictObject({ ...linkCommon, "host-interface": scalarText, endpoint: endpointObjectSchema });
export const dummyLinkSchema = z.strictObject({ ...linkCommon, endpoint: endpointObjectSchema });

export type EndpointObject = z.infer<typeof endpointObjectSchema>;

export const topologyFileSchema = z.strictObject({
  name: scalarText,
  prefix: z.string().nullish(),
  mgmt: mgmtSchema.nullish(),
  settings: opaque,
  topology: z.strictObject({
    defaults: nodeDefinitionSchema.nullish(),
    kinds: z.record(z.string(), nodeDefinitionSchema.nullish()).nullish(),
    groups: z.record(z.string(), nodeDefinitionSchema.nullish()).nullish(),
    nodes: z.record(z.string(), nodeDefinitionSchema.nullish()),
    // Each link's shape depends on its `type`; containerlab-links.ts parses them one by one.
    links: z.array(z.record(z.string(), z.unknown())).nullish(),
  }),
});

export type TopologyFile = z.infer<typeof topologyFileSchema>;
export type MgmtDefinition = z.infer<typeof mgmtSchema>;
