import { expect, test } from "bun:test";
import {
  formatIpAddress,
  formatIpPrefix,
  isBoundaryAddress,
  parseIpAddress,
  parseIpPrefix,
  prefixContains,
  prefixesOverlap,
} from "../../../src/topology/ip-prefix.ts";

test("IPv4 and IPv6 addresses round-trip in their canonical text", () => {
  for (
    const [text, canonical] of [
      ["172.20.20.99", "172.20.20.99"],
      ["3fff:172:20:20::99", "3fff:172:20:20::99"],
      ["2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"],
      ["::ffff:192.0.2.1", "::ffff:c000:201"],
      ["::", "::"],
    ]
  ) {
    expect(formatIpAddress(parseIpAddress(text!)!)).toBe(canonical!);
  }
  expect(parseIpAddress("300.1.1.1")).toBeNull();
  expect(parseIpAddress("fe80::1%eth0")).toBeNull();
});

test("prefixes keep the address as written and know what they contain and overlap", () => {
  const parsed = parseIpPrefix("10.1.2.3/16")!;
  expect(formatIpAddress(parsed.address)).toBe("10.1.2.3");
  expect(formatIpPrefix(parsed.prefix)).toBe("10.1.0.0/16");
  expect(prefixContains(parsed.prefix, parseIpAddress("10.1.255.255")!)).toBe(true);
  expect(prefixContains(parsed.prefix, parseIpAddress("10.2.0.0")!)).toBe(false);
  expect(prefixesOverlap(parseIpPrefix("172.20.0.0/16")!.prefix, parseIpPrefix("172.20.20.0/24")!.prefix)).toBe(true);
  expect(prefixesOverlap(parseIpPrefix("172.20.21.0/24")!.prefix, parseIpPrefix("172.20.20.0/24")!.prefix)).toBe(false);
  expect(prefixesOverlap(parseIpPrefix("fd00::/8")!.prefix, parseIpPrefix("10.0.0.0/8")!.prefix)).toBe(false);
  const subnet = parseIpPrefix("192.168.1.0/24")!.prefix;
  expect(["192.168.1.0", "192.168.1.255", "192.168.1.1"].map((text) => isBoundaryAddress(subnet, parseIpAddress(text)!))).toEqual([
    true,
    true,
    false,
  ]);
  expect(parseIpPrefix("10.0.0.0/33")).toBeNull();
});
