import { existsSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { parse } from "yaml";
import { ipv4Host } from "../fake-docker/ipam.ts";
import { buildLinks } from "./links.ts";
import { asList, type Data, deepMerge, expandDottedKeys, getPath, isData, parseScalar, setPath } from "./netlab-data.ts";
import { errorAndExit, exitOnErrors, fatal, reportError, setTopologyFileForErrors } from "./netlab-log.ts";
import { NETLAB_VERSION, PACKAGE_DEFAULTS } from "./package-defaults.ts";

/**
 * `netlab create` without the outputs: reads a topology and returns the transformed topology
 * (the snapshot). Modelled: defaults (package, `NETLAB_*`, topology, `-s`), groups, devices,
 * management addressing, node ids, links and interface names, the multilab plugin. Not
 * modelled: configuration modules and link IP addressing; other providers and plugins fail loudly.
 */

export interface CreateOptions {
  topologyFile: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  settings: string[];
  device?: string;
  provider?: string;
  plugins: string[];
}

// `NL:netsim/data/types.py:must_be_id`
const NODE_NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,15}$/;

export function transformTopology(options: CreateOptions): Data {
  if (!existsSync(options.topologyFile)) errorAndExit("netlab create", `Cannot find topology file ${options.topologyFile}`);
  setTopologyFileForErrors(basename(options.topologyFile));
  const topology = expandDottedKeys(parse(readFileSync(options.topologyFile, "utf8")) ?? {});
  if (!isData(topology)) fatal(`Topology file ${options.topologyFile} must contain a dictionary`);
  applyCommandLine(topology, options);
  topology.defaults = deepMerge(PACKAGE_DEFAULTS, environmentDefaults(options.env), isData(topology.defaults) ? topology.defaults : {});
  topology.input = [options.topologyFile, "package:topology-defaults.yml"];

  const nodes = normalizeNodes(topology.nodes);
  if (nodes.size === 0) reportError("Required topology element 'nodes' is missing or empty", "MissingValue", "topology");
  exitOnErrors();
  const provider = String(topology.provider ?? getPath(topology.defaults, ["provider"]));
  if (provider !== "clab") fatal(`the fake netlab implements only the clab provider, the topology uses ${provider}`);
  topology.provider = provider;
  for (const plugin of asList(topology.plugin)) {
    if (plugin === "multilab") applyMultilab(topology);
    else fatal(`the fake netlab implements only the multilab plugin, not ${String(plugin)}`);
  }
  topology.name ??= basename(options.cwd).replace(/[^A-Za-z0-9_]/g, "_").replaceAll("_", "").slice(0, 12);
  topology.addressing = deepMerge(
    getPath(topology.defaults, ["addressing"]) as Data,
    isData(topology.addressing) ? topology.addressing : {},
  );
  applyGroups(topology, nodes);

  topology.nodes = Object.fromEntries(
    [...nodes].map(([name, attributes], index) => [name, buildNode(topology, name, attributes, index + 1)]),
  );
  topology.links = buildLinks(topology, topology.nodes as Record<string, Data>);
  exitOnErrors();
  topology._netlab_version = NETLAB_VERSION;
  return topology;
}

/** The instance id in the status file: `defaults.multilab.id`, else `default`. */
export function labInstanceId(topology: Data): string {
  const id = getPath(topology.defaults, ["multilab", "id"]);
  return id === undefined ? "default" : String(id);
}

function applyCommandLine(topology: Data, options: CreateOptions): void {
  for (const setting of options.settings) {
    const at = setting.indexOf("=");
    if (at < 1) fatal(`Invalid --set argument ${setting}, use key=value`);
    setPath(topology, setting.slice(0, at).split("."), parseScalar(setting.slice(at + 1)), true);
  }
  if (options.device) setPath(topology, ["defaults", "device"], options.device);
  if (options.provider) topology.provider = options.provider;
  if (options.plugins.length > 0) topology.plugin = [...new Set([...asList(topology.plugin), ...options.plugins])];
}

/** `NETLAB_MULTILAB_ID=17` → `defaults.multilab.id: 17` (`__` stands for a literal `_`). */
function environmentDefaults(env: NodeJS.ProcessEnv): Data {
  const defaults: Data = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith("NETLAB_") || value === undefined) continue;
    const keys = name.slice(7).toLowerCase().replaceAll("__", "\u0000").split("_").map((key) => key.replaceAll("\u0000", "_"));
    setPath(defaults, keys, parseScalar(value));
  }
  return defaults;
}

function normalizeNodes(nodes: unknown): Map<string, Data> {
  const entries: [string, Data][] = Array.isArray(nodes)
    ? nodes.map((entry) => (isData(entry) ? [String(entry.name), { ...entry }] : [String(entry), {}]))
    : Object.entries(isData(nodes) ? nodes : {}).map(([name, attributes]) => [name, isData(attributes) ? { ...attributes } : {}]);
  for (const [name] of entries) {
    if (!NODE_NAME.test(name)) {
      reportError(
        `attribute nodes.${name} must be an identifier (a string containing up to 16 alphanumeric characters, numbers and underscores)`,
        "IncorrectType",
        "nodes",
      );
    }
  }
  return new Map(entries);
}

/** `NL:netsim/extra/multilab`: validates the id, then rewrites name and management addressing. */
function applyMultilab(topology: Data): void {
  const raw = getPath(topology.defaults, ["multilab", "id"]);
  const id = typeof raw === "string" && /^-?\d+$/.test(raw) ? Number(raw) : raw;
  if (id === undefined) reportError("multilab plugin requires defaults.multilab.id parameter", "MissingValue", "multilab");
  else if (typeof id !== "number" || !Number.isInteger(id)) {
    reportError(`attribute defaults.multilab.id must be an integer, found ${typeof id}`, "IncorrectType", "multilab");
  } else if (id < 1 || id > 200) {
    reportError("attribute defaults.multilab.id must be an integer between 1 and 200", "IncorrectValue", "multilab");
  }
  exitOnErrors();
  setPath(topology, ["defaults", "multilab", "id"], id);
  const change = expandDottedKeys(
    JSON.parse(JSON.stringify(getPath(topology.defaults, ["multilab", "change"])).replaceAll("{id}", String(id))),
  ) as Data;
  for (const [key, value] of Object.entries(change)) {
    topology[key] = isData(topology[key]) && isData(value) ? deepMerge(topology[key], value) : value;
  }
}

/** Group attributes apply to members that do not set them; groups may be lists or `{members: …}`. */
function applyGroups(topology: Data, nodes: Map<string, Data>): void {
  for (const [group, definition] of Object.entries(isData(topology.groups) ? topology.groups : {})) {
    const members = asList(isData(definition) ? definition.members : definition).map(String);
    const { members: _members, module: _module, ...attributes } = isData(definition) ? definition : {};
    for (const member of members) {
      const node = nodes.get(member);
      if (!node) {
        reportError(`Invalid node name ${member} in group ${group}`, "IncorrectValue", "groups");
        continue;
      }
      for (const [key, value] of Object.entries(attributes)) node[key] ??= value;
    }
  }
}

function buildNode(topology: Data, name: string, attributes: Data, id: number): Data {
  const defaults = topology.defaults as Data;
  const device = String(attributes.device ?? defaults.device ?? "");
  const deviceData = getPath(defaults, ["devices", device]);
  if (!device) {
    reportError(`node ${name} does not have a device type (set nodes.${name}.device or defaults.device)`, "MissingValue", "nodes");
  } else if (!isData(deviceData)) reportError(`Unknown device ${device} used by node ${name}`, "IncorrectValue", "nodes");
  if (attributes.provider !== undefined && attributes.provider !== topology.provider) {
    fatal(`the fake netlab does not implement multi-provider labs (node ${name})`);
  }
  const data = isData(deviceData) ? deviceData : {};
  const clab = isData(data.clab) ? data.clab : {};
  const mgmt = getPath(topology.addressing, ["mgmt"]) as Data;
  const { image, ...rest } = attributes;
  const router = (rest.role ?? data.role) === "router";
  const labPrefix = String(getPath(defaults, ["providers", "clab", "lab_prefix"]) ?? "clab");
  return {
    ...rest,
    name,
    device,
    box: image ?? rest.box ?? clab.image,
    id,
    mgmt: {
      ifname: data.mgmt_if ?? "eth0",
      ipv4: getPath(rest, ["mgmt", "ipv4"]) ?? ipv4Host(String(mgmt.ipv4), Number(mgmt.start ?? 0) + id),
      mac: `ca:fe:00:${id.toString(16).padStart(2, "0")}:00:00`,
    },
    hostname: labPrefix ? `${labPrefix}-${String(topology.name)}-${name}` : name,
    role: rest.role ?? data.role ?? "router",
    af: router ? { ipv4: true } : {},
    interfaces: [],
    ...(router
      ? {
        loopback: {
          ifindex: 0,
          ifname: data.loopback_interface_name ?? "lo",
          ipv4: `10.0.0.${id}/32`,
          neighbors: [],
          type: "loopback",
          virtual_interface: true,
        },
      }
      : {}),
    ...(topology.module || rest.module ? { module: asList(rest.module ?? topology.module) } : {}),
    mtu: 1500,
    clab: { kind: clab.kind ?? device, ...(isData(rest.clab) ? rest.clab : {}) },
  };
}
