import { expect, test } from "bun:test";
import { diffHostSnapshots } from "../../../src/hosts/health/host-diff.ts";
import type { HostSnapshot } from "../../../src/hosts/health/host-snapshot.ts";

const IDLE: HostSnapshot = {
  takenAt: Date.UTC(2025, 0, 1),
  namespaces: ["kept"],
  links: { lo: "loopback", eth0: "ether" },
  addresses: { lo: ["127.0.0.1/8"], eth0: ["192.0.2.2/24"] },
  routes: [{ key: "default via 192.0.2.1 dev eth0", dev: "eth0" }],
  sysctls: { "net.ipv4.ip_forward": "0", "net.core.somaxconn": "4096" },
};
const NO_LABS = { namespaces: new Set<string>(), links: new Set<string>() };

test("an unchanged host has no differences, whatever went away meanwhile", () => {
  expect(diffHostSnapshots(IDLE, { ...IDLE, namespaces: [] }, NO_LABS)).toEqual([]);
});

test("new namespaces and links, address and route changes on kept links, changed sysctls are each reported, not cleaned", () => {
  const now: HostSnapshot = {
    takenAt: IDLE.takenAt + 60_000,
    namespaces: ["kept", "stray"],
    links: { ...IDLE.links, dummy7: "dummy" },
    addresses: { lo: ["127.0.0.1/8"], eth0: ["198.51.100.9/24"], dummy7: ["203.0.113.1/24"] },
    routes: [{ key: "default via 192.0.2.1 dev eth0", dev: "eth0" }, { key: "203.0.113.0/24 dev dummy7", dev: "dummy7" }, {
      key: "10.9.0.0/16 via 192.0.2.7 dev eth0",
      dev: "eth0",
    }],
    sysctls: { "net.ipv4.ip_forward": "1", "net.core.somaxconn": "4096" },
  };
  const found = diffHostSnapshots(IDLE, now, NO_LABS).map(({ kind, name, cleaned }) => ({ kind, name, cleaned }));
  expect(found).toEqual([
    { kind: "namespace", name: "stray", cleaned: false },
    { kind: "link", name: "dummy7", cleaned: false },
    { kind: "address", name: "eth0 198.51.100.9/24", cleaned: false },
    { kind: "address", name: "eth0 192.0.2.2/24", cleaned: false },
    { kind: "route", name: "10.9.0.0/16 via 192.0.2.7 dev eth0", cleaned: false },
    { kind: "sysctl", name: "net.ipv4.ip_forward", cleaned: false },
  ]);
  expect(diffHostSnapshots(IDLE, now, NO_LABS).at(-1)?.detail).toBe("0 → 1 since the host was idle at 2025-01-01T00:00:00.000Z");
});

test("labs are left to their runtimes: this agent's by record, any other's by the names lab tools give", () => {
  const now: HostSnapshot = {
    ...IDLE,
    namespaces: ["kept", "clab-other-lab-r1", "r1"],
    links: { ...IDLE.links, "nl-ab12cd": "bridge", "nl-ab12cd-0": "veth", veth9f3a: "veth", "br-5e1f": "bridge", mylabbr: "bridge" },
    routes: [...IDLE.routes, { key: "172.20.20.0/24 dev nl-ab12cd", dev: "nl-ab12cd" }],
  };
  expect(diffHostSnapshots(IDLE, now, { namespaces: new Set(["r1"]), links: new Set(["mylabbr"]) })).toEqual([]);
});
