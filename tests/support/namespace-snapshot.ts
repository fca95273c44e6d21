import { runChecked } from "../../src/hosts/command-runner.ts";
import { createTestNamespace, deleteTestNamespace } from "./test-namespace.ts";

interface RawLink {
  ifname: string;
  flags: string[];
  mtu: number;
  address?: string;
  master?: string;
  link?: string;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
  addr_info?: { family: string; local: string; prefixlen: number; scope: string }[];
}

/** `ip -n NETNS -j ARGS…` parsed; read straight from iproute2, independent of the code under test. */
export async function ipJson(netns: string, args: string[]): Promise<RawLink[]> {
  const { stdout } = await runChecked(["ip", "-n", netns, "-j", ...args], { timeoutMs: 10_000 });
  return JSON.parse(stdout) as RawLink[];
}

export async function rawLink(netns: string, name: string): Promise<RawLink> {
  const [link] = await ipJson(netns, ["-d", "addr", "show", "dev", name]);
  if (!link) throw new Error(`ip shows no device "${name}" in "${netns}"`);
  return link;
}

export async function readSysctlFile(netns: string, key: string): Promise<string> {
  const { stdout } = await runChecked(["cat", `/proc/sys/${key.replaceAll(".", "/")}`], { timeoutMs: 10_000, netns });
  return stdout.trim();
}

/**
 * What "the same state" means for a namespace: every device by name with its up flag, MTU, MAC,
 * master, kind, pairing and addresses, plus chosen sysctls. Left out on purpose: ifindex (a rebuilt
 * device gets a new one), counters, operstate (carrier settles asynchronously) and kernel-made
 * IPv6 link-local addresses.
 */
export async function snapshotNamespace(netns: string, sysctlKeys: string[] = []) {
  const links = (await ipJson(netns, ["-d", "addr", "show"])).map((link) => ({
    name: link.ifname,
    up: link.flags.includes("UP"),
    mtu: link.mtu,
    mac: link.address ?? null,
    master: link.master ?? null,
    kind: link.linkinfo?.info_kind ?? null,
    link: link.link ?? null,
    addresses: (link.addr_info ?? [])
      .filter((address) => !(address.family === "inet6" && address.scope === "link"))
      .map((address) => `${address.local}/${address.prefixlen}`)
      .sort(),
  }));
  const sysctls: Record<string, string> = {};
  for (const key of sysctlKeys) sysctls[key] = await readSysctlFile(netns, key);
  return { links: links.sort((a, b) => a.name.localeCompare(b.name)), sysctls };
}

/** Which soft device kinds this kernel can create (test VMs often lack dummy, bond or 8021q). */
export async function probeDeviceKinds(): Promise<Set<string>> {
  const netns = await createTestNamespace("lbt-probe");
  const supported = new Set<string>();
  try {
    const attempts: Record<string, string[]> = {
      bridge: ["type", "bridge"],
      dummy: ["type", "dummy"],
      bond: ["type", "bond"],
      veth: ["type", "veth", "peer", "name", "probe-peer"],
      ifb: ["type", "ifb"],
    };
    for (const [kind, args] of Object.entries(attempts)) {
      const created = await runChecked(["ip", "-n", netns, "link", "add", "name", `probe-${kind}`, ...args], { timeoutMs: 10_000 }).then(
        () => true,
        () => false,
      );
      if (created) supported.add(kind);
    }
    const vlan = await runChecked(
      ["ip", "-n", netns, "link", "add", "link", "probe-veth", "name", "probe-vlan", "type", "vlan", "id", "7"],
      { timeoutMs: 10_000 },
    ).then(() => true, () => false);
    if (vlan) supported.add("vlan");
  } finally {
    await deleteTestNamespace(netns);
  }
  return supported;
}
