import { isIPv4, isIPv6 } from "node:net";

/**
 * IPv4 and IPv6 addresses and prefixes as big integers, so one set of functions serves both
 * families (management subnets, gateways, allocation, overlap checks against the host).
 */

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  value: bigint;
}

export interface IpPrefix {
  family: IpFamily;
  /** The first address of the prefix (host bits cleared). */
  network: bigint;
  bits: number;
}

const WIDTH: Record<IpFamily, number> = { 4: 32, 6: 128 };

export function parseIpAddress(text: string): IpAddress | null {
  if (isIPv4(text)) return { family: 4, value: parseIpv4(text) };
  if (isIPv6(text) && !text.includes("%")) return { family: 6, value: parseIpv6(text) };
  return null;
}

/** `address/bits` with the address as written (host bits kept) and the prefix it belongs to. */
export function parseIpPrefix(text: string): { address: IpAddress; prefix: IpPrefix } | null {
  const slash = text.indexOf("/");
  const address = parseIpAddress(slash < 0 ? text : text.slice(0, slash));
  if (!address) return null;
  const bitsText = slash < 0 ? String(WIDTH[address.family]) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return null;
  const bits = Number(bitsText);
  if (bits > WIDTH[address.family]) return null;
  return { address, prefix: { family: address.family, network: address.value & mask(address.family, bits), bits } };
}

export function formatIpAddress(address: IpAddress): string {
  return address.family === 4 ? formatIpv4(address.value) : formatIpv6(address.value);
}

export function formatIpPrefix(prefix: IpPrefix): string {
  return `${formatIpAddress({ family: prefix.family, value: prefix.network })}/${prefix.bits}`;
}

export function prefixSize(prefix: IpPrefix): bigint {
  return 1n << BigInt(WIDTH[prefix.family] - prefix.bits);
}

export function prefixContains(prefix: IpPrefix, address: IpAddress): boolean {
  return prefix.family === address.family && (address.value & mask(prefix.family, prefix.bits)) === prefix.network;
}

export function prefixesOverlap(a: IpPrefix, b: IpPrefix): boolean {
  if (a.family !== b.family) return false;
  const shorter = Math.min(a.bits, b.bits);
  return (a.network & mask(a.family, shorter)) === (b.network & mask(b.family, shorter));
}

/** The `offset`-th address of the prefix (0 is the network address). */
export function addressInPrefix(prefix: IpPrefix, offset: bigint): IpAddress {
  return { family: prefix.family, value: prefix.network + offset };
}

/** True for the network address, and for IPv4 also the broadcast address, of a prefix shorter than /31. */
export function isBoundaryAddress(prefix: IpPrefix, address: IpAddress): boolean {
  if (address.value === prefix.network) return true;
  return prefix.family === 4 && prefix.bits < 31 && address.value === prefix.network + prefixSize(prefix) - 1n;
}

function mask(family: IpFamily, bits: number): bigint {
  const width = BigInt(WIDTH[family]);
  const all = (1n << width) - 1n;
  return (all << (width - BigInt(bits))) & all;
}

function parseIpv4(text: string): bigint {
  return text.split(".").reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

function parseIpv6(text: string): bigint {
  let expanded = text;
  const lastColon = expanded.lastIndexOf(":");
  const tail = expanded.slice(lastColon + 1);
  if (tail.includes(".")) {
    // An embedded IPv4 tail (::ffff:192.0.2.1) stands for the last two groups.
    const v4 = parseIpv4(tail);
    expanded = `${expanded.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = expanded.split("::") as [string, string | undefined];
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest ? rest.split(":") : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array<string>(missing).fill("0"), ...restGroups];
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
}

/** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as `::`. */
function formatIpv6(value: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
