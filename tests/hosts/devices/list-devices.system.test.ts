import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { runChecked } from "../../../src/hosts/command-runner.ts";
import { getDevice, listDevices } from "../../../src/hosts/devices/list-devices.ts";
import { expectRefusal } from "../../support/expect-refusal.ts";
import { isRoot } from "../../support/host-processes.ts";
import { createTestNamespace, deleteTestNamespace } from "../../support/test-namespace.ts";

let netns = "";
beforeEach(async () => {
  if (isRoot) netns = await createTestNamespace();
});
afterEach(async () => {
  if (netns) await deleteTestNamespace(netns);
  netns = "";
});

const ip = (...args: string[]) => runChecked(["ip", "-n", netns, ...args], { timeoutMs: 10_000 });

describe.skipIf(!isRoot)("listing devices (root: uses a private network namespace)", () => {
  test("a fresh namespace has only lo, down, with its counters", async () => {
    const devices = await listDevices({ netns });
    expect(devices.map((device) => device.name)).toEqual(["lo"]);
    expect(devices[0]).toMatchObject({
      name: "lo",
      netns,
      up: false,
      linkType: "loopback",
      kind: null,
      master: null,
      addresses: [],
      driver: null,
    });
    expect(devices[0]!.stats?.rx).toMatchObject({ bytes: 0, packets: 0, errors: 0, dropped: 0 });
  });

  test("created devices show kind, peer, master, MTU range, addresses, driver and traffic counters", async () => {
    const other = await createTestNamespace();
    try {
      await ip("link", "add", "br0", "type", "bridge");
      await ip("link", "add", "p0", "type", "veth", "peer", "name", "p1");
      await ip("link", "set", "p1", "master", "br0");
      await ip("link", "add", "v0", "type", "veth", "peer", "name", "far", "netns", other);
      await ip("address", "add", "10.20.0.1/24", "dev", "v0");
      await runChecked(["ip", "-n", other, "address", "add", "10.20.0.2/24", "dev", "far"], { timeoutMs: 10_000 });
      await runChecked(["ip", "-n", other, "link", "set", "far", "up"], { timeoutMs: 10_000 });
      await ip("link", "set", "v0", "up");
      // Across the pair into the other namespace, so the packet really leaves through v0.
      await runChecked(["ping", "-c", "1", "-W", "5", "10.20.0.2"], { timeoutMs: 10_000, netns });

      const devices = await listDevices({ netns });
      const byName = new Map(devices.map((device) => [device.name, device]));
      expect([...byName.keys()].sort()).toEqual(["br0", "lo", "p0", "p1", "v0"]);
      expect(byName.get("p0")).toMatchObject({ kind: "veth", link: "p1", up: false, mtu: 1500, minMtu: 68, maxMtu: 65535 });
      expect(byName.get("p1")).toMatchObject({ kind: "veth", master: "br0" });
      expect(byName.get("br0")).toMatchObject({ kind: "bridge", master: null });
      const v0 = byName.get("v0")!;
      expect(v0).toMatchObject({ kind: "veth", link: null, up: true });
      expect(v0.addresses.filter((address) => address.family === "inet")).toEqual([{
        family: "inet",
        local: "10.20.0.1",
        prefixlen: 24,
        scope: "global",
      }]);
      expect(v0.mac).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
      expect(v0.stats!.tx.packets).toBeGreaterThan(0);
      expect(v0.stats!.rx.packets).toBeGreaterThan(0);
      expect(v0.driver?.driver ?? "no ethtool").toMatch(/^(veth|no ethtool)$/);
      expect(byName.get("lo")!.addresses).toEqual([]);
    } finally {
      await deleteTestNamespace(other);
    }
  });

  test("without driver lookups, driver is null", async () => {
    await ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
    const devices = await listDevices({ netns, withDriver: false });
    expect(devices.every((device) => device.driver === null)).toBe(true);
  });

  test("an unknown device or namespace is named in the error", async () => {
    await expectRefusal(getDevice({ netns, device: "eth9" }), "not-found", `Cannot find device "eth9" in namespace "${netns}"`);
    await expectRefusal(
      () => listDevices({ netns: "lbt-no-such-namespace" }),
      "not-found",
      'Cannot find network namespace "lbt-no-such-namespace"',
    );
    await expectRefusal(getDevice({ netns, device: "-x" }), "invalid", /^Invalid device name "-x"/);
  });
});

test("the host's own devices include lo", async () => {
  const devices = await listDevices({ withDriver: false });
  expect(devices.find((device) => device.name === "lo")).toMatchObject({ netns: null, linkType: "loopback" });
});
