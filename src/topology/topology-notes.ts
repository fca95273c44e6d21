import { LABBROKER_LABEL_PREFIX } from "./containerlab-model.ts";
import type { NodeDefinition, TopologyFile } from "./containerlab-schema.ts";
import { isFrrImage } from "./frr-node.ts";
import { ignoredNote } from "./ignored-note.ts";

const NO_CONTAINERS = "the native runtime runs no containers";

/** Node fields containerlab knows that a namespace cannot honour, with the reason given to the user. */
const IGNORED_NODE_FIELDS: Partial<Record<keyof NodeDefinition, string>> = {
  image: `${NO_CONTAINERS}, nothing is pulled or started`,
  "image-pull-policy": NO_CONTAINERS,
  cmd: `${NO_CONTAINERS}; only exec commands run in the node's namespace`,
  entrypoint: `${NO_CONTAINERS}; only exec commands run in the node's namespace`,
  devices: NO_CONTAINERS,
  "cap-add": `${NO_CONTAINERS}; exec commands run as root`,
  "shm-size": NO_CONTAINERS,
  ports: `${NO_CONTAINERS}; the management address is reachable from the host directly`,
  user: `${NO_CONTAINERS}; exec commands run as root`,
  "restart-policy": `${NO_CONTAINERS}, there is nothing to restart`,
  "auto-remove": NO_CONTAINERS,
  runtime: "the native runtime replaces the container runtime",
  cpu: `${NO_CONTAINERS}, no resource limits are applied`,
  "cpu-set": `${NO_CONTAINERS}, no resource limits are applied`,
  memory: `${NO_CONTAINERS}, no resource limits are applied`,
  healthcheck: `${NO_CONTAINERS}, no health is checked`,
  aliases: `${NO_CONTAINERS}, no DNS aliases are published`,
  dns: `${NO_CONTAINERS}; namespaces use the host's resolver configuration`,
  labels: `${NO_CONTAINERS}, labels are not recorded (labbroker.* labels are read)`,
  "env-files": "env files are not read; set env instead",
  sandbox: NO_CONTAINERS,
  kernel: NO_CONTAINERS,
  extras: "kind-specific extras apply to network OS kinds only",
  "startup-config": "no network OS runs to read a startup configuration",
  "enforce-startup-config": "no network OS runs to read a startup configuration",
  "suppress-startup-config": "no network OS runs to read a startup configuration",
  license: "no network OS runs to use a license",
  type: "node types apply to network OS kinds only",
  config: "no configuration engine runs",
  certificate: "no TLS certificates are generated",
  stages: "deployment stages are not supported; all nodes are created together",
  components: "components apply to network OS kinds only",
  "startup-delay": "all nodes are created together",
  position: "graph positions are not used",
};

const MGMT_NOTES: Record<string, string> = {
  "external-access": "no iptables rules are installed; the management bridge is reachable from the host only",
  "driver-opts": "the management bridge is a plain Linux bridge",
};

const LINK_NOTES: Record<string, string> = {
  labels: "link labels are not recorded",
  vars: "link variables are only consumed by network OS kinds",
  ipv4: "containerlab configures no addresses on linux data interfaces; use exec",
  ipv6: "containerlab configures no addresses on linux data interfaces; use exec",
};

/** Notes for every field of every definition level (defaults, kinds, groups, nodes) that cannot be honoured. */
export function notesForDefinitions(topology: TopologyFile["topology"]): string[] {
  const levels: [string, NodeDefinition | null | undefined][] = [
    ["defaults", topology.defaults],
    ...Object.entries(topology.kinds ?? {}).map(([name, definition]) => [`kinds.${name}`, definition] as [string, NodeDefinition | null]),
    ...Object.entries(topology.groups ?? {}).map(([name, definition]) => [`groups.${name}`, definition] as [string, NodeDefinition | null]),
    ...Object.entries(topology.nodes).map(([name, definition]) => [`nodes.${name}`, definition] as [string, NodeDefinition | null]),
  ];
  return levels.flatMap(([field, definition]) =>
    notesForFields(field, withoutFrrFields(withoutLabbrokerLabels(definition ?? {})), IGNORED_NODE_FIELDS)
  );
}

/** The definition without an FRR image, which FRR nodes honour (binds are reported per node, where they are resolved). */
function withoutFrrFields(definition: NodeDefinition): NodeDefinition {
  return isFrrImage(definition.image) ? { ...definition, image: null } : definition;
}

/** Why a node that runs no FRR ignores its binds. */
export const BINDS_IGNORED = `${NO_CONTAINERS}, nothing is mounted (exec commands see the host's file system)`;

/** The definition without the labels labbroker reads (they are honoured, not ignored). */
function withoutLabbrokerLabels(definition: NodeDefinition): NodeDefinition {
  if (!definition.labels) return definition;
  const labels = Object.fromEntries(Object.entries(definition.labels).filter(([key]) => !key.startsWith(LABBROKER_LABEL_PREFIX)));
  return { ...definition, labels: Object.keys(labels).length > 0 ? labels : null };
}

export function notesForFileLevel(file: TopologyFile): string[] {
  const notes = notesForFields("mgmt", file.mgmt ?? {}, MGMT_NOTES);
  if (file.settings !== undefined && file.settings !== null) {
    notes.push(ignoredNote("settings", file.settings, "containerlab settings apply to containerlab itself"));
  }
  return notes;
}

export function notesForLinkFields(field: string, link: Record<string, unknown>): string[] {
  return notesForFields(field, link, LINK_NOTES);
}

function notesForFields(field: string, values: object, reasons: Record<string, string | undefined>): string[] {
  return Object.entries(values).flatMap(([key, value]) => {
    const reason = reasons[key];
    return reason && value !== undefined && value !== null ? [ignoredNote(`${field}.${key}`, value, reason)] : [];
  });
}
