import { readdirSync } from "node:fs";
import { runChecked } from "../command-runner.ts";
import { readWatchedSysctls } from "./watched-sysctls.ts";

/** What the gate compares in the host's own network namespace, plus the named namespaces. */
export interface HostSnapshot {
  takenAt: number;
  namespaces: string[];
  /** link name → its kind (`veth`, `dummy`, `bridge`…, or the link type). */
  links: Record<string, string>;
  /** link name → its static addresses (`192.0.2.1/24`). */
  addresses: Record<string, string[]>;
  /** Routes of the main tables that someone configured (not the kernel's own, nor router advertisements or DHCP). */
  routes: { key: string; dev: string | null }[];
  sysctls: Record<string, string>;
}

const IP_TIMEOUT_MS = 30_000;
/** Routes the kernel or an autoconfiguration daemon owns: they follow addresses and the network, not sessions. */
const AUTOMATIC_ROUTE_PROTOCOLS = new Set(["kernel", "ra", "dhcp", "redirect"]);

export async function takeHostSnapshot(now: number): Promise<HostSnapshot> {
  const [links, addresses, routes4, routes6] = await Promise.all([
    ipJson(["-d", "link", "show"]),
    ipJson(["addr", "show"]),
    ipJson(["-4", "route", "show", "table", "main"]),
    ipJson(["-6", "route", "show", "table", "main"]),
  ]);
  return {
    takenAt: now,
    namespaces: namedNamespaces(),
    links: Object.fromEntries(
      links.map((
        link,
      ) => [String(link.ifname), String((link.linkinfo as { info_kind?: string } | undefined)?.info_kind ?? link.link_type ?? "")]),
    ),
    addresses: Object.fromEntries(addresses.map((link) => [String(link.ifname), staticAddresses(link.addr_info)])),
    routes: [...routes4, ...routes6].filter((route) => !AUTOMATIC_ROUTE_PROTOCOLS.has(String(route.protocol ?? ""))).map(routeEntry),
    sysctls: readWatchedSysctls(),
  };
}

function namedNamespaces(): string[] {
  try {
    return readdirSync("/run/netns");
  } catch {
    return [];
  }
}

/** Temporary (privacy) and other dynamic addresses change on their own: only static ones count. */
function staticAddresses(info: unknown): string[] {
  if (!Array.isArray(info)) return [];
  return info.filter((address) => !address.dynamic && !address.temporary).map((address) => `${address.local}/${address.prefixlen}`);
}

function routeEntry(route: Record<string, unknown>): { key: string; dev: string | null } {
  const parts = [
    String(route.dst),
    route.gateway ? `via ${route.gateway}` : "",
    route.dev ? `dev ${route.dev}` : "",
    route.type ? `type ${route.type}` : "",
    route.metric !== undefined ? `metric ${route.metric}` : "",
  ];
  return { key: parts.filter(Boolean).join(" "), dev: route.dev ? String(route.dev) : null };
}

async function ipJson(args: string[]): Promise<Record<string, unknown>[]> {
  const { stdout } = await runChecked(["ip", "-j", ...args], { timeoutMs: IP_TIMEOUT_MS });
  const parsed: unknown = JSON.parse(stdout.trim() || "[]");
  return Array.isArray(parsed) ? parsed : [];
}
