import { existsSync, readdirSync } from "node:fs";
import { formatIpPrefix, type IpPrefix, parseIpPrefix } from "../../topology/ip-prefix.ts";
import { readIpJson } from "./ip-batch.ts";

/** What is on the host already, read before planning a lab so that it collides with nothing. */

/** Where `ip netns add` mounts named namespaces. */
export const NETNS_DIR = "/run/netns";

export interface HostLink {
  name: string;
  /** `bridge`, `veth`, `dummy`, … (null for plain devices). */
  kind: string | null;
  /** The bridge this interface is a port of. */
  master: string | null;
  /** A veth whose peer is in another namespace: it disappears with that namespace. */
  peerInNamespace: boolean;
}

export interface UsedPrefix {
  prefix: IpPrefix;
  /** For error messages: `address 192.0.2.2/24 on eth0`. */
  owner: string;
}

export interface HostFacts {
  links: Map<string, HostLink>;
  namespaces: Set<string>;
  /** Networks of the host's addresses and destinations of its routes. */
  usedPrefixes: UsedPrefix[];
}

interface Bounds {
  timeoutMs: number;
  signal?: AbortSignal;
}

interface IpLinkJson {
  ifname: string;
  master?: string;
  link_netnsid?: number;
  linkinfo?: { info_kind?: string };
}

interface IpAddrJson {
  ifname: string;
  addr_info?: { family: string; local: string; prefixlen: number; scope?: string }[];
}

interface IpRouteJson {
  dst: string;
  dev?: string;
  gateway?: string;
}

/** Whether an interface exists in the host namespace, read from sysfs without starting a process. */
export function hostInterfaceExists(name: string): boolean {
  return existsSync(`/sys/class/net/${name}`);
}

export function listNamespaces(): Set<string> {
  try {
    return new Set(readdirSync(NETNS_DIR));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return new Set();
    throw error;
  }
}

export async function readHostLinks(bounds: Bounds): Promise<Map<string, HostLink>> {
  const links = await readIpJson<IpLinkJson>(["-d", "link", "show"], bounds);
  return new Map(
    links.map((
      link,
    ) => [link.ifname, {
      name: link.ifname,
      kind: link.linkinfo?.info_kind ?? null,
      master: link.master ?? null,
      peerInNamespace: link.link_netnsid !== undefined,
    }]),
  );
}

export async function readHostFacts(bounds: Bounds): Promise<HostFacts> {
  const [links, addresses, routes4, routes6] = await Promise.all([
    readHostLinks(bounds),
    readIpJson<IpAddrJson>(["address", "show"], bounds),
    readIpJson<IpRouteJson>(["-4", "route", "show", "table", "main"], bounds),
    readIpJson<IpRouteJson>(["-6", "route", "show", "table", "main"], bounds),
  ]);
  return { links, namespaces: listNamespaces(), usedPrefixes: [...addressPrefixes(addresses), ...routePrefixes([...routes4, ...routes6])] };
}

function addressPrefixes(interfaces: readonly IpAddrJson[]): UsedPrefix[] {
  return interfaces.flatMap((entry) =>
    (entry.addr_info ?? []).flatMap((info) => {
      // Link-local IPv6 addresses exist on every interface and never collide with a lab subnet.
      if (info.family === "inet6" && info.scope === "link") return [];
      const parsed = parseIpPrefix(`${info.local}/${info.prefixlen}`);
      return parsed ? [{ prefix: parsed.prefix, owner: `address ${info.local}/${info.prefixlen} on ${entry.ifname}` }] : [];
    })
  );
}

function routePrefixes(routes: readonly IpRouteJson[]): UsedPrefix[] {
  return routes.flatMap((route) => {
    if (route.dst === "default" || route.dst.startsWith("fe80:")) return [];
    const parsed = parseIpPrefix(route.dst);
    if (!parsed) return [];
    const via = route.gateway ? ` via ${route.gateway}` : "";
    return [{ prefix: parsed.prefix, owner: `route ${formatIpPrefix(parsed.prefix)}${via}${route.dev ? ` dev ${route.dev}` : ""}` }];
  });
}
