import { isIPv4, isIPv6 } from "node:net";
import { DEVICE_NAME } from "../../validation/text.ts";
import { HostRequestError } from "../host-errors.ts";

export function validateDeviceName(name: string, role = "device"): string {
  if (!DEVICE_NAME.test(name)) {
    throw new HostRequestError(
      "invalid",
      `Invalid ${role} name "${name}": use 1-15 printable ASCII characters without "/", ":" or a leading "-"`,
    );
  }
  return name;
}

export interface Cidr {
  family: "inet" | "inet6";
  /** The address in canonical form (IPv6 compressed, lower case), so comparisons with `ip` output hold. */
  local: string;
  prefixlen: number;
}

/** Parses "10.0.0.1/24" or "2001:db8::1/64"; the error says what a valid address looks like. */
export function parseCidr(text: string): Cidr {
  const match = /^([0-9A-Fa-f.:]+)\/([0-9]{1,3})$/.exec(text);
  const address = match?.[1] ?? "";
  const prefixlen = Number(match?.[2]);
  const family = isIPv4(address) ? "inet" : isIPv6(address) ? "inet6" : undefined;
  if (!match || !family) {
    throw new HostRequestError(
      "invalid",
      `Invalid address "${text}": expected an IP address with a prefix length, such as 10.0.0.1/24 or 2001:db8::1/64`,
    );
  }
  const maxPrefix = family === "inet" ? 32 : 128;
  if (prefixlen > maxPrefix) throw new HostRequestError("invalid", `Invalid address "${text}": the prefix length must be 0-${maxPrefix}`);
  return { family, local: canonicalIp(address), prefixlen };
}

export function isCidr(text: string): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
}

export function formatCidr(cidr: Pick<Cidr, "local" | "prefixlen">): string {
  return `${cidr.local}/${cidr.prefixlen}`;
}

/** One spelling per address: the URL parser writes IPv6 in RFC 5952 form. */
export function canonicalIp(address: string): string {
  return isIPv6(address) && !address.includes("%") ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address;
}

export const BOND_MODES = ["balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb"] as const;
export type BondMode = (typeof BOND_MODES)[number];

export function validateVlanId(id: number): number {
  if (!Number.isInteger(id) || id < 1 || id > 4094) {
    throw new HostRequestError("invalid", `Invalid VLAN id ${id}: it must be a whole number from 1 to 4094`);
  }
  return id;
}

export function validateBondMode(mode: string): BondMode {
  if (!(BOND_MODES as readonly string[]).includes(mode)) {
    throw new HostRequestError("invalid", `Invalid bond mode "${mode}": use one of ${BOND_MODES.join(", ")}`);
  }
  return mode as BondMode;
}
