import { DockerError } from "./docker-error.ts";

/** Address management of the fake Docker networks. */

/** Docker IPAM: the requested address, else the lowest free host after the gateway (.1); returns the host index. */
export function pickIpv4Host(subnet: string, requested: string | undefined, usedAddresses: string[], network: string): number {
  const used = new Set(usedAddresses.map((address) => ipv4ToNumber(address) - ipv4ToNumber(subnet.split("/")[0]!)));
  const size = 2 ** (32 - prefixLength(subnet));
  if (requested !== undefined) {
    const index = ipv4ToNumber(requested) - ipv4ToNumber(subnet.split("/")[0]!);
    if (index <= 0 || index >= size - 1) {
      throw new DockerError(
        `Error response from daemon: Invalid address ${requested}: It does not belong to any of this network's subnets`,
      );
    }
    if (used.has(index)) throw new DockerError("Error response from daemon: Address already in use");
    return index;
  }
  for (let index = 2; index < size - 1; index++) if (!used.has(index)) return index;
  throw new DockerError(`Error response from daemon: no available IPv4 addresses on this network's address pools: ${network}`);
}

export function ipv4Host(subnet: string, index: number): string {
  const value = ipv4ToNumber(subnet.split("/")[0]!) + index;
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

export function ipv6Host(subnet: string, index: number): string {
  return `${subnet.split("/")[0]!.replace(/::$/, "")}::${index.toString(16)}`;
}

function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((value, octet) => value * 256 + Number(octet), 0);
}

export function prefixLength(subnet: string): number {
  return Number(subnet.split("/")[1] ?? 32);
}
