import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { runChecked } from "../../../src/hosts/command-runner.ts";
import { addDeviceAddress, removeDeviceAddress } from "../../../src/hosts/devices/address-changes.ts";
import { createDevice } from "../../../src/hosts/devices/create-device.ts";
import { setDeviceMaster, setDeviceMtu, setDeviceUp } from "../../../src/hosts/devices/link-changes.ts";
import { removeDevice } from "../../../src/hosts/devices/remove-device.ts";
import { restoreChanges } from "../../../src/hosts/devices/restore-changes.ts";
import { setSysctl } from "../../../src/hosts/devices/sysctl.ts";
import type { UndoRecord } from "../../../src/protocol/undo-records.ts";
import { isRoot } from "../../support/host-processes.ts";
import { snapshotNamespace } from "../../support/namespace-snapshot.ts";
import { createTestNamespace, deleteTestNamespace } from "../../support/test-namespace.ts";

const SYSCTLS = ["net.ipv4.ip_forward", "net.ipv6.conf.all.forwarding"];
let netns = "";
beforeEach(async () => {
  if (!isRoot) return;
  netns = await createTestNamespace();
  // A namespace that already holds things before the test changes it: a bridge with a port, a veth pair, an address.
  const ip = (...args: string[]) => runChecked(["ip", "-n", netns, ...args], { timeoutMs: 10_000 });
  await ip("link", "add", "brx", "type", "bridge");
  await ip("link", "add", "pa", "type", "veth", "peer", "name", "pb");
  await ip("link", "set", "pa", "master", "brx");
  await ip("link", "set", "pb", "mtu", "1400");
  await ip("address", "add", "10.50.0.2/24", "dev", "pb");
  for (const name of ["lo", "brx", "pa", "pb"]) await ip("link", "set", name, "up");
});
afterEach(async () => {
  if (netns) await deleteTestNamespace(netns);
  netns = "";
});

describe.skipIf(!isRoot)("restoring changes (root: uses a private network namespace)", () => {
  test("undoing every change brings the namespace back to exactly its initial state", async () => {
    const initial = await snapshotNamespace(netns, SYSCTLS);
    const records: UndoRecord[] = [];
    const change = async (made: Promise<UndoRecord>) => records.push(JSON.parse(JSON.stringify(await made)) as UndoRecord);

    await change(createDevice({ netns, spec: { kind: "bridge", name: "br1" } }));
    await change(createDevice({ netns, spec: { kind: "veth", name: "v0", peer: "v1" } }));
    await change(setDeviceMaster({ netns, device: "v1", master: "br1" }));
    await change(setDeviceMtu({ netns, device: "v0", mtu: 9000 }));
    await change(addDeviceAddress({ netns, device: "v0", address: "10.40.0.1/24" }));
    await change(addDeviceAddress({ netns, device: "v0", address: "2001:db8:40::1/64" }));
    await change(setDeviceUp({ netns, device: "v0", up: true }));
    await change(setSysctl({ netns, key: "net.ipv4.ip_forward", value: "1" }));
    await change(setSysctl({ netns, key: "net.ipv6.conf.all.forwarding", value: "1" }));
    await change(setDeviceMtu({ netns, device: "pb", mtu: 1280 }));
    await change(removeDeviceAddress({ netns, device: "pb", address: "10.50.0.2/24" }));
    await change(setDeviceUp({ netns, device: "lo", up: false }));
    await change(removeDevice({ netns, device: "brx" }));
    await change(removeDevice({ netns, device: "pa" }));
    await change(removeDevice({ netns, device: "br1" }));
    expect(await snapshotNamespace(netns, SYSCTLS)).not.toEqual(initial);

    const report = await restoreChanges(records);
    expect(report.failed).toEqual([]);
    expect(report.undone.length + report.alreadyDone.length).toBe(records.length);
    expect(await snapshotNamespace(netns, SYSCTLS)).toEqual(initial);
  });

  test("what is already gone is tolerated, what cannot be undone is reported, and the rest still runs", async () => {
    const initial = await snapshotNamespace(netns, SYSCTLS);
    const created = await createDevice({ netns, spec: { kind: "veth", name: "v0", peer: "v1" } });
    const mtu = await setDeviceMtu({ netns, device: "pb", mtu: 1500 });
    await runChecked(["ip", "-n", netns, "link", "delete", "v0"], { timeoutMs: 10_000 });
    const records: UndoRecord[] = [
      { action: "set-up", netns: "lbt-gone-namespace", device: "x", up: true },
      created,
      { action: "set-master", netns, device: "pb", master: "br-gone" },
      { action: "remove-address", netns, device: "pb", address: "10.99.0.1/24" },
      mtu,
      { action: "explode", netns } as unknown as UndoRecord,
    ];
    const report = await restoreChanges(records);
    expect(report.undone).toEqual([mtu]);
    expect(report.alreadyDone).toEqual([
      { record: records[3]!, reason: 'Address 10.99.0.1/24 is no longer on device "pb"' },
      { record: created, reason: `Device "v0" in namespace "${netns}" no longer exists` },
      { record: records[0]!, reason: 'Network namespace "lbt-gone-namespace" no longer exists' },
    ]);
    expect(report.failed).toEqual([
      { record: records[5]!, error: expect.stringMatching(/^Invalid undo record: action: /) },
      { record: records[2]!, error: `Cannot find device "br-gone" in namespace "${netns}"` },
    ]);
    expect(await snapshotNamespace(netns, SYSCTLS)).toEqual(initial);
  });
});
