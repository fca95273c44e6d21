import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readSysctl, setSysctl, sysctlPath } from "../../../src/hosts/devices/sysctl.ts";
import { expectRefusal } from "../../support/expect-refusal.ts";
import { isRoot } from "../../support/host-processes.ts";
import { readSysctlFile } from "../../support/namespace-snapshot.ts";
import { createTestNamespace, deleteTestNamespace } from "../../support/test-namespace.ts";

let netns = "";
beforeEach(async () => {
  if (isRoot) netns = await createTestNamespace();
});
afterEach(async () => {
  if (netns) await deleteTestNamespace(netns);
  netns = "";
});

describe.skipIf(!isRoot)("sysctl (root: uses a private network namespace)", () => {
  test("a value is written inside the namespace and the previous one is remembered", async () => {
    const hostValue = await readSysctl({ key: "net.ipv4.ip_forward" });
    expect(await readSysctl({ netns, key: "net.ipv4.ip_forward" })).toBe("0");
    expect(await setSysctl({ netns, key: "net.ipv4.ip_forward", value: "1" })).toEqual({
      action: "write-sysctl",
      netns,
      key: "net.ipv4.ip_forward",
      value: "0",
    });
    expect(await readSysctlFile(netns, "net.ipv4.ip_forward")).toBe("1");
    expect(await readSysctl({ key: "net.ipv4.ip_forward" })).toBe(hostValue);
  });

  test("slash keys reach settings whose names hold a dot; multi-field values round-trip", async () => {
    expect(await setSysctl({ netns, key: "net/ipv4/conf/lo/forwarding", value: "1" })).toMatchObject({ value: "0" });
    const key = "net.ipv4.ip_local_port_range";
    const before = await readSysctl({ netns, key });
    expect(await setSysctl({ netns, key, value: "20000\t30000" })).toEqual({ action: "write-sysctl", netns, key, value: before });
    expect(await readSysctl({ netns, key })).toBe("20000\t30000");
  });

  test("unknown keys, folders and refused values are errors that change nothing", async () => {
    await expectRefusal(
      setSysctl({ netns, key: "net.ipv4.no_such_setting", value: "1" }),
      "not-found",
      `Cannot find sysctl "net.ipv4.no_such_setting" in namespace "${netns}"`,
    );
    await expectRefusal(
      setSysctl({ netns, key: "net.ipv4", value: "1" }),
      "invalid",
      'Sysctl "net.ipv4" is a group of settings, not one setting',
    );
    await expectRefusal(
      setSysctl({ netns, key: "net.ipv4.ip_forward", value: "lots" }),
      "invalid",
      `Cannot set sysctl "net.ipv4.ip_forward" in namespace "${netns}": the kernel refused the value (Invalid argument)`,
    );
    await expectRefusal(
      setSysctl({ netns, key: "net.ipv4.ip_forward", value: "1\n0" }),
      "invalid",
      /^Invalid value for sysctl "net.ipv4.ip_forward"/,
    );
    expect(await readSysctlFile(netns, "net.ipv4.ip_forward")).toBe("0");
  });
});

test("keys cannot leave /proc/sys", () => {
  expect(sysctlPath("net.ipv4.ip_forward")).toBe("/proc/sys/net/ipv4/ip_forward");
  expect(sysctlPath("net/ipv4/conf/eth0.100/forwarding")).toBe("/proc/sys/net/ipv4/conf/eth0.100/forwarding");
  for (
    const key of [
      "../../etc/passwd",
      "net/../../etc/passwd",
      "/etc/passwd",
      "net..ipv4",
      "kernel",
      "net.ipv4.-x",
      "net/ipv4/ip forward",
      "",
    ]
  ) {
    expect(() => sysctlPath(key)).toThrow(`Invalid sysctl key "${key}"`);
  }
});
