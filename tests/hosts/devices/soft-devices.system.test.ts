import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { runChecked } from "../../../src/hosts/command-runner.ts";
import { createDevice } from "../../../src/hosts/devices/create-device.ts";
import { removeDevice } from "../../../src/hosts/devices/remove-device.ts";
import type { SoftDeviceSpec } from "../../../src/protocol/soft-device-spec.ts";
import { expectRefusal } from "../../support/expect-refusal.ts";
import { isRoot } from "../../support/host-processes.ts";
import { ipJson, probeDeviceKinds, rawLink, snapshotNamespace } from "../../support/namespace-snapshot.ts";
import { createTestNamespace, deleteTestNamespace } from "../../support/test-namespace.ts";

const supported = isRoot ? await probeDeviceKinds() : new Set<string>();
const namespaces: string[] = [];
let netns = "";
beforeEach(async () => {
  if (!isRoot) return;
  netns = await createTestNamespace();
  namespaces.push(netns);
});
afterEach(async () => {
  for (const name of namespaces.splice(0)) await deleteTestNamespace(name);
  netns = "";
});

const deviceNames = async (place: string) => (await ipJson(place, ["link", "show"])).map((link) => link.ifname).sort();

/** Creates the device, checks what ip shows, removes it with its undo record's target, checks it is gone. */
async function createAndRemove(
  spec: SoftDeviceSpec,
  expected: { kind: string; extra?: (link: Awaited<ReturnType<typeof rawLink>>) => void },
) {
  const undo = await createDevice({ netns, spec });
  expect(undo).toEqual({ action: "remove-device", netns, device: spec.name });
  const link = await rawLink(netns, spec.name);
  expect(link.linkinfo?.info_kind).toBe(expected.kind);
  expected.extra?.(link);
  const recreate = await removeDevice({ netns, device: spec.name });
  expect(recreate).toMatchObject({ action: "recreate-device", netns, spec });
  expect(await deviceNames(netns)).not.toContain(spec.name);
}

describe.skipIf(!isRoot)("soft devices (root: uses a private network namespace)", () => {
  test("bridge", () => createAndRemove({ kind: "bridge", name: "br0" }, { kind: "bridge" }));

  test("veth pair in one namespace", async () => {
    await createAndRemove({ kind: "veth", name: "v0", peer: "v1" }, { kind: "veth", extra: (link) => expect(link.link).toBe("v1") });
    expect(await deviceNames(netns)).toEqual(["lo"]);
  });

  test("veth pair with the peer in another namespace", async () => {
    const other = await createTestNamespace();
    namespaces.push(other);
    expect(await createDevice({ netns, spec: { kind: "veth", name: "v0", peer: "far", peerNetns: other } })).toEqual({
      action: "remove-device",
      netns,
      device: "v0",
    });
    expect(await deviceNames(other)).toEqual(["far", "lo"]);
    await expectRefusal(
      removeDevice({ netns, device: "v0" }),
      "invalid",
      /its veth peer is in another namespace, so an undo could not rebuild the pair/,
    );
  });

  test.skipIf(!supported.has("vlan"))("VLAN on a parent (needs 802.1Q in the kernel)", async () => {
    await createDevice({ netns, spec: { kind: "veth", name: "v0", peer: "v1" } });
    await createAndRemove({ kind: "vlan", name: "v0.10", parent: "v0", vlanId: 10 }, {
      kind: "vlan",
      extra: (link) => expect(link.linkinfo?.info_data?.id).toBe(10),
    });
  });

  test.skipIf(!supported.has("dummy"))(
    "dummy (needs dummy in the kernel)",
    () => createAndRemove({ kind: "dummy", name: "d0" }, { kind: "dummy" }),
  );

  test.skipIf(!supported.has("bond"))(
    "bond with a mode (needs bonding in the kernel)",
    () =>
      createAndRemove({ kind: "bond", name: "bond0", mode: "active-backup" }, {
        kind: "bond",
        extra: (link) => expect(link.linkinfo?.info_data?.mode).toBe("active-backup"),
      }),
  );

  test.skipIf(supported.has("dummy"))(
    "a kind this kernel lacks is refused as unsupported, naming it (runs where dummy is missing)",
    async () => {
      const before = await snapshotNamespace(netns);
      await expectRefusal(
        createDevice({ netns, spec: { kind: "dummy", name: "d0" } }),
        "unsupported",
        `Cannot create dummy device "d0" in namespace "${netns}": this kernel does not support dummy devices`,
      );
      expect(await snapshotNamespace(netns)).toEqual(before);
    },
  );

  test("invalid requests are refused before anything is created", async () => {
    await createDevice({ netns, spec: { kind: "veth", name: "v0", peer: "v1" } });
    const before = await snapshotNamespace(netns);
    const refusals: [SoftDeviceSpec, Parameters<typeof expectRefusal>[1], string | RegExp][] = [
      [
        { kind: "vlan", name: "v0.5000", parent: "v0", vlanId: 5000 },
        "invalid",
        "Invalid VLAN id 5000: it must be a whole number from 1 to 4094",
      ],
      [{ kind: "vlan", name: "v0.0", parent: "v0", vlanId: 0 }, "invalid", "Invalid VLAN id 0: it must be a whole number from 1 to 4094"],
      [{ kind: "vlan", name: "x.10", parent: "eth9", vlanId: 10 }, "not-found", `Cannot find device "eth9" in namespace "${netns}"`],
      [{ kind: "bond", name: "bond0", mode: "fastest" }, "invalid", /^Invalid bond mode "fastest": use one of balance-rr, active-backup/],
      [{ kind: "bridge", name: "a-name-longer-than-15" }, "invalid", /^Invalid device name "a-name-longer-than-15"/],
      [{ kind: "bridge", name: "v0" }, "conflict", `Device "v0" already exists in namespace "${netns}"`],
      [{ kind: "veth", name: "v2", peer: "v1" }, "conflict", `Device "v1" already exists in namespace "${netns}"`],
      [{ kind: "veth", name: "v2", peer: "v2" }, "invalid", 'A veth pair needs two names; both ends are called "v2"'],
      [
        { kind: "veth", name: "v2", peer: "v3", peerNetns: "lbt-no-such-namespace" },
        "not-found",
        'Cannot find network namespace "lbt-no-such-namespace"',
      ],
      [{ kind: "tunnel", name: "t0" } as unknown as SoftDeviceSpec, "invalid", /^Invalid device request: kind: /],
    ];
    for (const [spec, reason, message] of refusals) await expectRefusal(createDevice({ netns, spec }), reason, message);
    expect(await snapshotNamespace(netns)).toEqual(before);
  });

  test("devices an undo could not rebuild are not removed", async () => {
    await expectRefusal(
      removeDevice({ netns, device: "lo" }),
      "invalid",
      `Cannot remove device "lo" in namespace "${netns}": it is not a soft device`,
    );
    await expectRefusal(removeDevice({ netns, device: "eth9" }), "not-found", `Cannot find device "eth9" in namespace "${netns}"`);
    expect(await deviceNames(netns)).toEqual(["lo"]);
  });

  test.skipIf(!supported.has("ifb"))("a soft kind an undo cannot rebuild (ifb) is not removed (needs ifb in the kernel)", async () => {
    await runChecked(["ip", "-n", netns, "link", "add", "ifb9", "type", "ifb"], { timeoutMs: 10_000 });
    await expectRefusal(
      removeDevice({ netns, device: "ifb9" }),
      "invalid",
      `Cannot remove device "ifb9" in namespace "${netns}": ifb devices cannot be rebuilt by an undo (only bridge, dummy, veth, vlan, bond)`,
    );
  });
});
