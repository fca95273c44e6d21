import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { runChecked } from "../../../src/hosts/command-runner.ts";
import { addDeviceAddress, removeDeviceAddress } from "../../../src/hosts/devices/address-changes.ts";
import { setDeviceMaster, setDeviceMtu, setDeviceUp } from "../../../src/hosts/devices/link-changes.ts";
import { expectRefusal } from "../../support/expect-refusal.ts";
import { isRoot } from "../../support/host-processes.ts";
import { rawLink, snapshotNamespace } from "../../support/namespace-snapshot.ts";
import { createTestNamespace, deleteTestNamespace } from "../../support/test-namespace.ts";

let netns = "";
beforeEach(async () => {
  if (!isRoot) return;
  netns = await createTestNamespace();
  const ip = (...args: string[]) => runChecked(["ip", "-n", netns, ...args], { timeoutMs: 10_000 });
  await ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
  await ip("link", "add", "br0", "type", "bridge");
});
afterEach(async () => {
  if (netns) await deleteTestNamespace(netns);
  netns = "";
});

/** Runs a request that must be refused and checks that the namespace did not change at all. */
async function refusedWithoutChange(action: () => Promise<unknown>, reason: Parameters<typeof expectRefusal>[1], message: string | RegExp) {
  const before = await snapshotNamespace(netns);
  await expectRefusal(action, reason, message);
  expect(await snapshotNamespace(netns)).toEqual(before);
}

describe.skipIf(!isRoot)("device changes (root: uses a private network namespace)", () => {
  test("up and down show in the UP flag, and the undo record holds the previous state", async () => {
    expect(await setDeviceUp({ netns, device: "v0", up: true })).toEqual({ action: "set-up", netns, device: "v0", up: false });
    expect((await rawLink(netns, "v0")).flags).toContain("UP");
    expect(await setDeviceUp({ netns, device: "v0", up: false })).toEqual({ action: "set-up", netns, device: "v0", up: true });
    expect((await rawLink(netns, "v0")).flags).not.toContain("UP");
  });

  test("MTU within the driver's range is set; outside it is refused and nothing changes", async () => {
    expect(await setDeviceMtu({ netns, device: "v0", mtu: 9000 })).toEqual({ action: "set-mtu", netns, device: "v0", mtu: 1500 });
    expect((await rawLink(netns, "v0")).mtu).toBe(9000);
    await refusedWithoutChange(
      () => setDeviceMtu({ netns, device: "v0", mtu: 70_000 }),
      "invalid",
      `MTU 70000 is out of range for device "v0" in namespace "${netns}": it accepts 68-65535`,
    );
    await refusedWithoutChange(() => setDeviceMtu({ netns, device: "v0", mtu: 67 }), "invalid", /^MTU 67 is out of range/);
    await refusedWithoutChange(
      () => setDeviceMtu({ netns, device: "v0", mtu: 1500.5 }),
      "invalid",
      'Invalid MTU 1500.5 for device "v0": it must be a positive whole number',
    );
  });

  test("addresses are added and removed, IPv4 and IPv6, and shown by ip", async () => {
    expect(await addDeviceAddress({ netns, device: "v0", address: "10.30.0.1/24" })).toEqual({
      action: "remove-address",
      netns,
      device: "v0",
      address: "10.30.0.1/24",
    });
    expect(await addDeviceAddress({ netns, device: "v0", address: "2001:DB8:0::1/64" })).toEqual({
      action: "remove-address",
      netns,
      device: "v0",
      address: "2001:db8::1/64",
    });
    const shown = (await rawLink(netns, "v0")).addr_info!.map((address) => `${address.local}/${address.prefixlen}`);
    expect(shown).toEqual(["10.30.0.1/24", "2001:db8::1/64"]);
    expect(await removeDeviceAddress({ netns, device: "v0", address: "10.30.0.1/24" })).toEqual({
      action: "add-address",
      netns,
      device: "v0",
      address: "10.30.0.1/24",
    });
    expect((await rawLink(netns, "v0")).addr_info!.map((address) => address.local)).toEqual(["2001:db8::1"]);
  });

  test("bad, duplicate and absent addresses are refused and nothing changes", async () => {
    await addDeviceAddress({ netns, device: "v0", address: "10.30.0.1/24" });
    await refusedWithoutChange(
      () => addDeviceAddress({ netns, device: "v0", address: "10.30.0.300/24" }),
      "invalid",
      /^Invalid address "10.30.0.300\/24": expected an IP address with a prefix length/,
    );
    await refusedWithoutChange(
      () => addDeviceAddress({ netns, device: "v0", address: "10.30.0.1" }),
      "invalid",
      /^Invalid address "10.30.0.1"/,
    );
    await refusedWithoutChange(
      () => addDeviceAddress({ netns, device: "v0", address: "10.30.0.1/33" }),
      "invalid",
      'Invalid address "10.30.0.1/33": the prefix length must be 0-32',
    );
    await refusedWithoutChange(
      () => addDeviceAddress({ netns, device: "v0", address: "10.30.0.1/24" }),
      "conflict",
      `Device "v0" in namespace "${netns}" already has address 10.30.0.1/24`,
    );
    await refusedWithoutChange(
      () => removeDeviceAddress({ netns, device: "v0", address: "10.30.0.9/24" }),
      "not-found",
      `Device "v0" in namespace "${netns}" has no address 10.30.0.9/24`,
    );
  });

  test("a master is set and cleared; the undo record remembers the previous one", async () => {
    expect(await setDeviceMaster({ netns, device: "v1", master: "br0" })).toEqual({
      action: "set-master",
      netns,
      device: "v1",
      master: null,
    });
    expect((await rawLink(netns, "v1")).master).toBe("br0");
    expect(await setDeviceMaster({ netns, device: "v1", master: null })).toEqual({
      action: "set-master",
      netns,
      device: "v1",
      master: "br0",
    });
    expect((await rawLink(netns, "v1")).master).toBeUndefined();
  });

  test("only bridges, bonds and the like can be masters", async () => {
    await refusedWithoutChange(
      () => setDeviceMaster({ netns, device: "v1", master: "v0" }),
      "invalid",
      `Device "v0" in namespace "${netns}" cannot be a master: it is a veth; masters are bridge, bond, team, vrf, openvswitch devices`,
    );
    await refusedWithoutChange(
      () => setDeviceMaster({ netns, device: "v1", master: "v1" }),
      "invalid",
      'Device "v1" cannot be its own master',
    );
    await refusedWithoutChange(
      () => setDeviceMaster({ netns, device: "v1", master: "br9" }),
      "not-found",
      `Cannot find device "br9" in namespace "${netns}"`,
    );
  });

  test("every change to an unknown device names the device and the namespace, and changes nothing", async () => {
    const missing = `Cannot find device "eth9" in namespace "${netns}"`;
    await refusedWithoutChange(() => setDeviceUp({ netns, device: "eth9", up: true }), "not-found", missing);
    await refusedWithoutChange(() => setDeviceMtu({ netns, device: "eth9", mtu: 1400 }), "not-found", missing);
    await refusedWithoutChange(() => addDeviceAddress({ netns, device: "eth9", address: "10.0.0.1/24" }), "not-found", missing);
    await refusedWithoutChange(() => setDeviceMaster({ netns, device: "eth9", master: "br0" }), "not-found", missing);
  });
});
