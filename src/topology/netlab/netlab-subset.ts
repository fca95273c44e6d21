import { type Attributes, isRecord, type NetlabInput } from "./netlab-input.ts";

/**
 * The part of netlab's topology format the native runtime builds exactly as netlab would. Every
 * key outside it is listed, so a topology is refused rather than built differently.
 */

export const NATIVE_NETLAB_DEVICES = ["frr", "linux"] as const;
export const NATIVE_NETLAB_MODULES = ["ospf"] as const;

const TOP_LEVEL = new Set(["name", "provider", "defaults", "module", "nodes", "links", "groups", "ospf", "message"]);
const DEFAULTS = new Set(["device", "provider"]);
/** Keys that only steer netlab's own tooling or containers, with nothing to build natively. */
const IGNORED = new Set(["box", "image"]);
const NODE = new Set(["name", "device", "id", "module", "ospf", ...IGNORED]);
const GROUP = new Set(["device", "module", "ospf"]);
const LINK = new Set(["ospf", "bridge", "name"]);
const OSPF = new Set(["area"]);
const PROVIDERS = new Set(["clab", "libvirt"]);

/** Unsupported keys as field paths (`nodes.r1.bgp`, `links[2].vlan`), empty when the topology fits. */
export function unsupportedNetlabKeys(input: NetlabInput): string[] {
  const found: string[] = [];
  const check = (field: string, value: unknown, allowed: ReadonlySet<string>) => {
    if (!isRecord(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      const path = field ? `${field}.${key}` : key;
      if (!allowed.has(key)) found.push(path);
      else if (key === "ospf") check(path, inner, OSPF);
      else if (key === "module") checkModules(path, inner, found);
      else if (key === "device") checkDevice(path, inner, found);
    }
  };
  const { document } = input;
  check("", document, TOP_LEVEL);
  check("defaults", document.defaults, DEFAULTS);
  for (const key of ["provider", "defaults.provider"]) {
    const value = key === "provider" ? document.provider : (document.defaults as Attributes | undefined)?.provider;
    if (value !== undefined && !PROVIDERS.has(String(value))) found.push(`${key} (${String(value)})`);
  }
  const defaultDevice = (document.defaults as Attributes | undefined)?.device;
  for (const [name, attributes] of input.nodes) {
    check(`nodes.${name}`, attributes, NODE);
    const grouped = [...input.groups.values()].some((group) => group.members.includes(name) && group.attributes.device !== undefined);
    if (attributes.device === undefined && !grouped && defaultDevice === undefined) {
      found.push(`nodes.${name}.device (not set, and no defaults.device)`);
    }
  }
  for (const [name, group] of input.groups) check(`groups.${name}`, group.attributes, GROUP);
  for (const link of input.links) check(link.field, link.attributes, LINK);
  return found;
}

function checkModules(field: string, value: unknown, found: string[]): void {
  const modules = typeof value === "string" ? [value] : Array.isArray(value) ? value : [value];
  for (const module of modules) {
    if (!(NATIVE_NETLAB_MODULES as readonly unknown[]).includes(module)) found.push(`${field}: ${String(module)}`);
  }
}

function checkDevice(field: string, value: unknown, found: string[]): void {
  if (!(NATIVE_NETLAB_DEVICES as readonly unknown[]).includes(value)) found.push(`${field}: ${String(value)}`);
}
