import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { parse } from "yaml";
import { ClabError } from "./clab-log.ts";

/** A topology file as containerlab reads it (`CL:core/file.go`, `CL:types/topology.go`). */
export interface ClabTopology {
  name: string;
  /** Absolute path of the topology file. */
  file: string;
  /** `<dir of the file or $CLAB_LABDIR_BASE>/clab-<name>`, whatever the prefix. */
  labDir: string;
  mgmt: { network: string; ipv4Subnet: string | null; ipv6Subnet: string | null };
  nodes: ClabNode[];
  links: { a: string; z: string }[];
  prefix: string;
}

export interface ClabNode {
  name: string;
  longName: string;
  kind: string;
  image: string;
  group: string;
  networkMode: string | null;
  mgmtIpv4?: string;
  mgmtIpv6?: string;
}

type Attributes = Record<string, unknown>;

const NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-._]*$/;
const NODE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9-._|]*$/;
const TOP_LEVEL_KEYS = ["name", "prefix", "mgmt", "topology", "settings", "debug"];
/** Kinds that are not containers: a host bridge and the host itself. */
export const CONTAINERLESS_KINDS = ["bridge", "ovs-bridge", "host"];
const RESERVED_ENDPOINT_NODES = ["host", "mgmt-net", "macvlan"];

/** `-t PATH|DIR`, or exactly one `*.clab.y*ml` in the current folder. */
export function findTopologyFile(topo: string | undefined): string {
  if (topo && /^(https?:|-$|stdin$)/.test(topo)) {
    throw new ClabError(`fake containerlab: reading the topology from ${topo} is not implemented`);
  }
  if (topo && !(existsSync(topo) && statSync(topo).isDirectory())) {
    if (!existsSync(topo)) throw new ClabError(`open ${resolve(topo)}: no such file or directory`);
    return resolve(topo);
  }
  const folder = topo ?? ".";
  const matches = readdirSync(folder).filter((file) => /\.clab\.ya?ml$/.test(file)).sort();
  if (matches.length === 0) throw new ClabError("no topology files matching the pattern *.clab.yml or *.clab.yaml found");
  if (matches.length > 1) {
    throw new ClabError(
      `more than one topology file matching the pattern *.clab.yml or *.clab.yaml found, can't pick one: [${
        matches.map((file) => JSON.stringify(file)).join(" ")
      }]`,
    );
  }
  return resolve(folder, matches[0]!);
}

/** `nameOverride` is `--name` (wins over the file); `nameIfUnset` is a name set before the file is read, which the file's `name:` replaces. */
export function loadTopology(file: string, nameOverride: string | undefined, env: NodeJS.ProcessEnv, nameIfUnset?: string): ClabTopology {
  const raw = parse(substituteEnvironment(readFileSync(file, "utf8"), env)) as Attributes | null;
  if (!isRecord(raw)) throw new ClabError(`failed to parse topology file ${basename(file)}: not a mapping`);
  const unknown = Object.keys(raw).find((key) => !TOP_LEVEL_KEYS.includes(key));
  if (unknown) throw new ClabError(`yaml: unmarshal errors:\n  field ${unknown} not found in type types.Config`);
  const name = nameOverride || (typeof raw.name === "string" ? raw.name : "") || nameIfUnset || "";
  if (!name) throw new ClabError("lab name is not set, use the 'name' topology element or --name");
  if (!NAME_PATTERN.test(name)) throw new ClabError(`lab name "${name}" does not match the pattern ^[a-zA-Z0-9][a-zA-Z0-9-._]*$`);

  const section = isRecord(raw.topology) ? raw.topology : {};
  const prefix = typeof raw.prefix === "string" ? raw.prefix : "clab";
  const nodes = Object.entries(isRecord(section.nodes) ? section.nodes : {}).map(([nodeName, attributes]) =>
    resolveNode(nodeName, isRecord(attributes) ? attributes : {}, section, longNameOf(prefix, name, nodeName))
  );
  const mgmt = isRecord(raw.mgmt) ? raw.mgmt : {};
  const ipv4Subnet = stringOrNull(mgmt["ipv4-subnet"]);
  const ipv6Subnet = stringOrNull(mgmt["ipv6-subnet"]);
  // containerlab fills in both default subnets only when neither is configured.
  const defaults = ipv4Subnet === null && ipv6Subnet === null;
  return {
    name,
    file,
    labDir: join(env.CLAB_LABDIR_BASE || dirname(file), `clab-${name}`),
    mgmt: {
      network: stringOrNull(mgmt.network) ?? "clab",
      ipv4Subnet: defaults ? "172.20.20.0/24" : ipv4Subnet,
      ipv6Subnet: defaults ? "3fff:172:20:20::/64" : ipv6Subnet,
    },
    nodes,
    links: parseLinks(section.links, nodes),
    prefix,
  };
}

/** `CL:core/config.go:nodeLongName`. */
export function longNameOf(prefix: string, lab: string, node: string): string {
  if (prefix === "") return node;
  if (prefix === "__lab-name") return `${lab}-${node}`;
  return `${prefix}-${lab}-${node}`;
}

/** Scalars: node > group > kind > defaults (`CL:types/topology.go:getField`). */
function resolveNode(name: string, node: Attributes, section: Attributes, longName: string): ClabNode {
  if (!NODE_NAME_PATTERN.test(name)) throw new ClabError(`node name "${name}" does not match the pattern ^[a-zA-Z0-9][a-zA-Z0-9-._|]*$`);
  const defaults = isRecord(section.defaults) ? section.defaults : {};
  const group = typeof node.group === "string" ? node.group : "";
  const groupAttributes = isRecord(section.groups) && isRecord(section.groups[group]) ? section.groups[group] : {};
  const kind = stringOrNull(node.kind) ?? stringOrNull(groupAttributes.kind) ?? stringOrNull(defaults.kind) ?? "";
  if (!kind) throw new ClabError(`node "${name}" has no kind set`);
  const kindAttributes = isRecord(section.kinds) && isRecord(section.kinds[kind]) ? section.kinds[kind] : {};
  const pick = (key: string) =>
    stringOrNull(node[key]) ?? stringOrNull(groupAttributes[key]) ?? stringOrNull(kindAttributes[key]) ?? stringOrNull(defaults[key]);
  const image = pick("image") ?? "";
  if (!image && !CONTAINERLESS_KINDS.includes(kind)) throw new ClabError(`node "${name}" has no image set`);
  return {
    name,
    longName,
    kind,
    image,
    group,
    networkMode: pick("network-mode"),
    ...(typeof node["mgmt-ipv4"] === "string" ? { mgmtIpv4: node["mgmt-ipv4"] } : {}),
    ...(typeof node["mgmt-ipv6"] === "string" ? { mgmtIpv6: node["mgmt-ipv6"] } : {}),
  };
}

/** Brief `endpoints: ["a:eth1", "b:eth1"]` links are checked; extended link forms are accepted as they are. */
function parseLinks(links: unknown, nodes: ClabNode[]): { a: string; z: string }[] {
  const brief: { a: string; z: string }[] = [];
  for (const link of Array.isArray(links) ? links : []) {
    if (!isRecord(link) || link.type !== undefined || !Array.isArray(link.endpoints)) continue;
    const endpoints = link.endpoints.map(String);
    if (endpoints.length !== 2) {
      throw new ClabError(`endpoint definition should consist of exactly 2 entries. ${endpoints.length} provided`);
    }
    for (const endpoint of endpoints) {
      const [nodeName, iface] = [endpoint.slice(0, endpoint.indexOf(":")), endpoint.slice(endpoint.indexOf(":") + 1)];
      if (RESERVED_ENDPOINT_NODES.includes(nodeName)) continue;
      const node = nodes.find((candidate) => candidate.name === nodeName);
      if (!node) throw new ClabError(`unable to find node ${nodeName}`);
      if (iface === "eth0" && node.networkMode !== "none") {
        throw new ClabError(`eth0 interface name is not allowed for ${nodeName} node when network mode is not set to none`);
      }
    }
    brief.push({ a: endpoints[0]!, z: endpoints[1]! });
  }
  return brief;
}

/** envsubst as containerlab applies it: only variables that are set are replaced; `$$` escapes. */
function substituteEnvironment(text: string, env: NodeJS.ProcessEnv): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (match, braced?: string, bare?: string) => {
    if (match === "$$") return "$";
    const value = env[(braced ?? bare)!];
    return value === undefined ? match : value;
  });
}

function stringOrNull(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function isRecord(value: unknown): value is Attributes {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
