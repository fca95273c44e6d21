import { z } from "zod";
import { canonicalIp } from "./device-input.ts";

/** Driver facts from `ethtool -i`; null where ethtool is missing or the device has none (loopback). */
export interface DriverInfo {
  driver: string;
  version: string | null;
  firmwareVersion: string | null;
  busInfo: string | null;
}

export interface DeviceAddress {
  family: "inet" | "inet6";
  local: string;
  prefixlen: number;
  /** host, link, global… as the kernel reports it. */
  scope: string | null;
}

/** One network interface, as the agent reports it. */
export interface Device {
  name: string;
  index: number;
  /** The namespace it was listed in; null for the host. */
  netns: string | null;
  /** Administratively up (the UP flag). */
  up: boolean;
  /** RFC 2863 operational state: UP, DOWN, LOWERLAYERDOWN, UNKNOWN… */
  operState: string;
  flags: string[];
  mtu: number;
  /** The MTU range the driver accepts; null where it does not report one. */
  minMtu: number | null;
  maxMtu: number | null;
  mac: string | null;
  linkType: string;
  /** The bridge or bond this device is a port of. */
  master: string | null;
  /** Soft device kind (veth, bridge, vlan, bond, dummy…); null for physical devices and loopback. */
  kind: string | null;
  /** What this device is stacked on or paired with in the same namespace: a VLAN's parent, a veth's peer. */
  link: string | null;
  /** The kind's own settings as the kernel reports them (VLAN id, bond mode, bridge timers…). */
  kindData: Record<string, unknown> | null;
  driver: DriverInfo | null;
  addresses: DeviceAddress[];
  /** Kernel link counters (rx/tx bytes, packets, errors, dropped…). */
  stats: { rx: Record<string, number>; tx: Record<string, number> } | null;
}

const counters = z.record(z.string(), z.number());

/** One entry of `ip -j -d -s addr show`: only the members we use, the rest is stripped. */
export const ipLinkEntrySchema = z.object({
  ifindex: z.number().int(),
  ifname: z.string(),
  flags: z.array(z.string()),
  mtu: z.number().int(),
  operstate: z.string(),
  link_type: z.string(),
  address: z.string().optional(),
  min_mtu: z.number().int().optional(),
  max_mtu: z.number().int().optional(),
  master: z.string().optional(),
  link: z.string().nullable().optional(),
  linkinfo: z
    .object({
      info_kind: z.string().optional(),
      info_data: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  addr_info: z
    .array(
      z.object({
        family: z.string().optional(),
        local: z.string().optional(),
        prefixlen: z.number().int().optional(),
        scope: z.string().optional(),
      }),
    )
    .default([]),
  stats64: z.object({ rx: counters, tx: counters }).optional(),
});

export const ipLinkListSchema = z.array(ipLinkEntrySchema);
export type IpLinkEntry = z.infer<typeof ipLinkEntrySchema>;

export function toDevice(entry: IpLinkEntry, netns: string | null, driver: DriverInfo | null): Device {
  const addresses: DeviceAddress[] = [];
  for (const address of entry.addr_info) {
    if ((address.family !== "inet" && address.family !== "inet6") || address.local === undefined || address.prefixlen === undefined) {
      continue;
    }
    addresses.push({
      family: address.family,
      local: canonicalIp(address.local),
      prefixlen: address.prefixlen,
      scope: address.scope ?? null,
    });
  }
  // Drivers without a range report 0/0 (loopback); that is "unknown", not "nothing allowed".
  const reportsRange = (entry.max_mtu ?? 0) > 0;
  return {
    name: entry.ifname,
    index: entry.ifindex,
    netns,
    up: entry.flags.includes("UP"),
    operState: entry.operstate,
    flags: entry.flags,
    mtu: entry.mtu,
    minMtu: reportsRange ? (entry.min_mtu ?? null) : null,
    maxMtu: reportsRange ? (entry.max_mtu ?? null) : null,
    mac: entry.address ?? null,
    linkType: entry.link_type,
    master: entry.master ?? null,
    kind: entry.linkinfo?.info_kind ?? null,
    link: entry.link ?? null,
    kindData: entry.linkinfo?.info_data ?? null,
    driver,
    addresses,
    stats: entry.stats64 ?? null,
  };
}
