import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { randomBytes } from "node:crypto";
import { TopologyError } from "../../../src/topology/topology-error.ts";
import { LAB_TAG_LENGTH, newLabTag } from "../../../src/hosts/native/lab-naming.ts";
import { NativeRuntime } from "../../../src/hosts/native/native-runtime.ts";
import {
  hostLinkNames,
  isRoot,
  isRunning,
  namespaceNames,
  NativeLabFixture,
  NEEDS_ROOT,
  ping,
  run,
  TEST_STATE_DIR,
} from "../../support/native-labs.ts";

/** Real labs on this host: namespaces, veths, bridges, pings. Every test cleans up after itself, also when it fails. */

const LINE = `name: line
topology:
  nodes:
    a:
      kind: linux
      exec: ["ip addr add 10.0.1.1/24 dev eth1", "ip route add 10.0.2.0/24 via 10.0.1.2"]
    b:
      kind: linux
      exec: ["ip addr add 10.0.1.2/24 dev eth1", "ip addr add 10.0.2.2/24 dev eth2"]
    c:
      kind: linux
      exec: ["ip addr add 10.0.2.3/24 dev eth1", "ip route add 10.0.1.0/24 via 10.0.2.2"]
  links:
    - endpoints: ["a:eth1", "b:eth1"]
    - endpoints: ["b:eth2", "c:eth1"]
`;

const PAIR = `name: pair
topology:
  nodes:
    a: {kind: linux, exec: ["ip addr add 10.0.9.1/24 dev eth1"]}
    b: {kind: linux, exec: ["ip addr add 10.0.9.2/24 dev eth1"]}
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`;

const never = new AbortController().signal;

/**
 * A runtime on the tests' records that remembers every lab tag it draws: host interfaces a deploy
 * creates are named `nl-<tag>…`, so these say what a refused deploy could have left, while labs of
 * other users of the host (with tags of their own) are left out of the check.
 */
function tagRecordingRuntime(): { runtime: NativeRuntime; tags: string[] } {
  const tags: string[] = [];
  const random = (count: number) => {
    const bytes = new Uint8Array(randomBytes(count));
    if (count === LAB_TAG_LENGTH) tags.push(newLabTag(() => bytes));
    return bytes;
  };
  return { runtime: new NativeRuntime({ stateDir: TEST_STATE_DIR, randomBytes: random }), tags };
}

describe(`native runtime on this host (${isRoot ? "as root" : NEEDS_ROOT})`, () => {
  let lab: NativeLabFixture;
  beforeEach(() => {
    lab = new NativeLabFixture();
  });
  afterEach(async () => {
    await lab.cleanup();
    expect(await lab.leftovers()).toEqual([]);
  });

  test.skipIf(!isRoot)("a line a — b — c routes through b, answers on its management addresses and leaves nothing behind", async () => {
    const spec = lab.spec("line", LINE);
    const nodes = await lab.runtime.deploy(spec, lab.sink, never);
    const tag = lab.tagOf(spec);
    const [a, b, c] = nodes;
    expect(nodes.map((node) => [node.name, node.kind, node.state])).toEqual([["a", "linux", "running"], ["b", "linux", "running"], [
      "c",
      "linux",
      "running",
    ]]);
    expect(a!.raw).toMatchObject({
      lab_name: spec.instanceName,
      name: `clab-${spec.instanceName}-a`,
      kind: "linux",
      state: "running",
      ipv4_address: `${a!.mgmtIpv4}/24`,
      mgmt: { ipv4: a!.mgmtIpv4, bridge: `nl-${tag}` },
      ansible_host: a!.mgmtIpv4,
      netns: `clab-${spec.instanceName}-a`,
    });
    expect(
      (b!.raw.interfaces as { name: string; mtu: number; addresses: string[] }[]).map((entry) => [entry.name, entry.mtu, entry.addresses]),
    ).toEqual([["eth0", 1500, [`${b!.mgmtIpv4}/24`]], ["eth1", 9500, ["10.0.1.2/24"]], ["eth2", 9500, ["10.0.2.2/24"]]]);
    expect(lab.output.filter((line) => line.text.startsWith("Executed command")).map((line) => line.node)).toHaveLength(6);
    expect(await run([...lab.runtime.nodeExecPrefix(spec, "b"), "sysctl", "-n", "net.ipv4.ip_forward"])).toBe("1\n");

    expect(await ping("10.0.2.3", `clab-${spec.instanceName}-a`)).toBe(0);
    for (const node of [a!, b!, c!]) expect(await ping(node.mgmtIpv4!)).toBe(0);

    await lab.runtime.destroy(spec, lab.sink);
    expect((await namespaceNames()).filter((name) => name.includes(spec.instanceName))).toEqual([]);
    expect((await hostLinkNames()).filter((name) => name.startsWith(`nl-${tag}`))).toEqual([]);
    expect(await lab.runtime.listRunning()).not.toContainEqual({ instanceName: spec.instanceName, labId: spec.labId });
    await lab.runtime.destroy(spec, lab.sink);
    expect(lab.output.at(-1)?.text).toBe(`No native lab ${spec.instanceName} on this host: nothing to destroy`);
  });

  test.skipIf(!isRoot)("two labs deployed at once get their own subnets, bridges and namespaces", async () => {
    const first = lab.spec("pair1", PAIR);
    const second = lab.spec("pair2", PAIR);
    const [nodes1, nodes2] = await Promise.all([lab.runtime.deploy(first, lab.sink, never), lab.runtime.deploy(second, lab.sink, never)]);
    const mgmt1 = nodes1[0]!.raw.mgmt as { bridge: string; ipv4: string };
    const mgmt2 = nodes2[0]!.raw.mgmt as { bridge: string; ipv4: string };
    expect(mgmt1.bridge).not.toBe(mgmt2.bridge);
    expect(mgmt1.ipv4.split(".").slice(0, 3)).not.toEqual(mgmt2.ipv4.split(".").slice(0, 3));
    for (const spec of [first, second]) expect(await ping("10.0.9.2", `clab-${spec.instanceName}-a`)).toBe(0);
    for (const node of [...nodes1, ...nodes2]) expect(await ping(node.mgmtIpv4!)).toBe(0);
  });

  test.skipIf(!isRoot)(
    "a topology asking for a subnet in use is refused before anything is created, with another user's lab on the host",
    async () => {
      const otherUser = new NativeLabFixture({ ownRecords: true });
      try {
        await otherUser.runtime.deploy(otherUser.spec("neighbour", PAIR), otherUser.sink, never);
        await expectSubnetClashRefused();
      } finally {
        await otherUser.cleanup();
      }
    },
  );

  async function expectSubnetClashRefused(): Promise<void> {
    const holder = lab.spec("holder", PAIR);
    const [node] = await lab.runtime.deploy(holder, lab.sink, never);
    const subnet = `${node!.mgmtIpv4!.split(".").slice(0, 3).join(".")}.0/24`;
    const clashing = lab.spec("clash", PAIR.replace("name: pair", `name: pair\nmgmt: {ipv4-subnet: ${subnet}}`));
    const recording = tagRecordingRuntime();
    const refused = await recording.runtime.deploy(clashing, lab.sink, never).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TopologyError);
    expect((refused as TopologyError).field).toBe("mgmt.ipv4-subnet");
    expect((refused as TopologyError).message).toContain(
      `${subnet} is already in use on this host: address ${subnet.replace(".0/24", ".1/24")} on nl-${lab.tagOf(holder)}`,
    );
    expect(lab.output.some((line) => line.text.startsWith(`Creating lab ${clashing.instanceName}`))).toBe(false);
    expect((await namespaceNames()).filter((name) => name.includes(clashing.instanceName))).toEqual([]);
    expect((await hostLinkNames()).filter((name) => recording.tags.some((tag) => name.startsWith(`nl-${tag}`)))).toEqual([]);
    expect((await lab.runtime.listRunning()).map((instance) => instance.instanceName)).not.toContain(clashing.instanceName);
  }

  test.skipIf(!isRoot)(
    "a failing exec fails the deploy naming node, command and exit code; the other nodes finish, the output is logged, nothing is left",
    async () => {
      const spec = lab.spec(
        "failing",
        `name: failing\ntopology:\n  nodes:\n    a: {kind: linux, exec: ["sh -c 'echo oops >&2; exit 3'", "echo never"]}\n    b: {kind: linux, exec: ["sleep 0.3", "echo b done"]}\n  links:\n    - endpoints: ["a:eth1", "b:eth1"]\n`,
      );
      const failure = await lab.runtime.deploy(spec, lab.sink, never).catch((error: unknown) => error as Error);
      expect(failure).toBeInstanceOf(Error);
      expect((failure as Error).message).toBe(
        `exec command "sh -c 'echo oops >&2; exit 3'" on node a exited with code 3 (label the node labbroker.exec-failure: allow to let it fail)`,
      );
      expect(lab.output.filter((line) => line.node === "a").map((line) => [line.stream, line.text])).toEqual([
        ["stderr", `Failed to execute command node=a command="sh -c 'echo oops >&2; exit 3'" rc=3`],
        ["stderr", "oops"],
      ]);
      expect(lab.output.some((line) => line.node === "b" && line.text === "b done")).toBe(true);
      expect(lab.output.some((line) => line.text === `Deploy of ${spec.instanceName} failed; removing what was created`)).toBe(true);
      expect(await lab.leftovers()).toEqual([]);
      expect((await lab.runtime.listRunning()).map((instance) => instance.instanceName)).not.toContain(spec.instanceName);
    },
  );

  test.skipIf(!isRoot)(
    "labelled labbroker.exec-failure: allow, a failing exec is only reported (as containerlab does) and the node's later commands still run",
    async () => {
      const spec = lab.spec(
        "allowed",
        `name: allowed\ntopology:\n  kinds:\n    linux: {labels: {labbroker.exec-failure: allow}}\n  nodes:\n    a:\n      kind: linux\n      env: {GREETING: hello}\n      exec: ["sh -c 'echo oops >&2; exit 3'", "echo $GREETING after"]\n`,
      );
      const [node] = await lab.runtime.deploy(spec, lab.sink, never);
      const lines = lab.output.filter((line) => line.node === "a").map((line) => [line.stream, line.text]);
      expect(lines).toEqual([
        ["stderr", `Failed to execute command node=a command="sh -c 'echo oops >&2; exit 3'" rc=3`],
        ["stderr", "oops"],
        ["info", 'Executed command node=a command="echo $GREETING after" rc=0'],
        ["stdout", "hello after"],
      ]);
      expect(node!.raw.exec).toEqual([
        { cmd: ["sh", "-c", "echo oops >&2; exit 3"], "return-code": 3, stdout: "", stderr: "oops\n" },
        { cmd: ["sh", "-c", "echo $GREETING after"], "return-code": 0, stdout: "hello after\n", stderr: "" },
      ]);
      const [inspected] = await lab.runtime.inspect(spec);
      expect(inspected!.raw.exec).toEqual(node!.raw.exec);
    },
  );

  test.skipIf(!isRoot)("bridge-node, host, mgmt-net and dummy links are wired where containerlab puts them and removed again", async () => {
    const { suffix } = lab;
    const subnet = `198.18.${Number.parseInt(suffix.slice(0, 2), 36) % 256}`;
    const spec = lab.spec(
      "wiring",
      `name: wiring
topology:
  nodes:
    a: {kind: linux, exec: ["ip addr add ${subnet}.2/24 dev eth2"]}
    b${suffix}: {kind: bridge}
  links:
    - endpoints: ["a:eth1", "b${suffix}:p${suffix}"]
    - endpoints: ["a:eth2", "host:h${suffix}"]
    - {type: mgmt-net, host-interface: m${suffix}, endpoint: {node: a, interface: eth3}}
    - {type: dummy, endpoint: {node: a, interface: dummy0}}
`,
    );
    const [node] = await lab.runtime.deploy(spec, lab.sink, never);
    // Kernels without the dummy driver get an ifb device instead, and the deploy says so.
    const stubKind = lab.output.some((line) => line.text.startsWith("Note: dummy links are created as ifb devices")) ? "ifb" : "dummy";
    const links = JSON.parse(await run(["ip", "-d", "-j", "link", "show"])) as {
      ifname: string;
      master?: string;
      linkinfo?: { info_kind: string };
    }[];
    const byName = new Map(links.map((link) => [link.ifname, link]));
    expect(byName.get(`b${suffix}`)?.linkinfo?.info_kind).toBe("bridge");
    expect(byName.get(`p${suffix}`)?.master).toBe(`b${suffix}`);
    expect(byName.get(`m${suffix}`)?.master).toBe(`nl-${lab.tagOf(spec)}`);
    expect(byName.get(`h${suffix}`)?.linkinfo?.info_kind).toBe("veth");
    const inside = JSON.parse(await run(["ip", "-n", `clab-${spec.instanceName}-a`, "-d", "-j", "link", "show"])) as {
      ifname: string;
      linkinfo?: { info_kind: string };
    }[];
    expect(inside.map((link) => [link.ifname, link.linkinfo?.info_kind ?? null])).toEqual([
      ["lo", null],
      ["eth0", "veth"],
      ["eth1", "veth"],
      ["eth2", "veth"],
      ["eth3", "veth"],
      ["dummy0", stubKind],
    ]);
    expect(node!.raw.interfaces).toContainEqual(expect.objectContaining({ name: "dummy0", mtu: 9500, state: "UNKNOWN" }));

    await run(["ip", "address", "add", `${subnet}.1/24`, "dev", `h${suffix}`]);
    expect(await ping(`${subnet}.2`)).toBe(0);

    await lab.runtime.destroy(spec, lab.sink);
    const after = await hostLinkNames();
    for (const name of [`b${suffix}`, `p${suffix}`, `h${suffix}`, `m${suffix}`]) expect(after).not.toContain(name);
  });

  test.skipIf(!isRoot)("a bridge node that already existed only loses the lab's ports", async () => {
    const bridge = `s${lab.suffix}`;
    await run(["ip", "link", "add", "name", bridge, "type", "bridge"]);
    const spec = lab.spec(
      "shared",
      `name: shared\ntopology:\n  nodes: {a: {kind: linux}, ${bridge}: {kind: bridge}}\n  links: [{endpoints: ["a:eth1", "${bridge}:q${lab.suffix}"]}]\n`,
    );
    await lab.runtime.deploy(spec, lab.sink, never);
    expect(await run(["ip", "-j", "link", "show", "master", bridge])).toContain(`"ifname":"q${lab.suffix}"`);
    await lab.runtime.destroy(spec, lab.sink);
    const after = await hostLinkNames();
    expect(after).toContain(bridge);
    expect(after).not.toContain(`q${lab.suffix}`);
  });

  test.skipIf(!isRoot)("a fresh runtime object finds, inspects and destroys labs from their on-host records", async () => {
    const spec = lab.spec("revive", PAIR);
    const deployed = await lab.runtime.deploy(spec, lab.sink, never);
    const restarted = new NativeRuntime({ stateDir: TEST_STATE_DIR });
    expect(await restarted.listRunning()).toContainEqual({ instanceName: spec.instanceName, labId: spec.labId });
    expect((await restarted.inspect(spec)).map((node) => [node.name, node.mgmtIpv4, node.state])).toEqual(
      deployed.map((node) => [node.name, node.mgmtIpv4, "running"]),
    );
    expect(restarted.nodeExecPrefix(spec, "b")).toEqual(["ip", "netns", "exec", `clab-${spec.instanceName}-b`]);
    await restarted.destroy(spec, lab.sink);
    expect(await lab.runtime.listRunning()).not.toContainEqual({ instanceName: spec.instanceName, labId: spec.labId });
    expect(await lab.runtime.inspect(spec)).toEqual([]);
  });

  test.skipIf(!isRoot)("destroy kills processes left in the namespaces", async () => {
    const spec = lab.spec(
      "daemon",
      `name: daemon\ntopology:\n  nodes:\n    a: {kind: linux, exec: ["sh -c 'sleep 600 >/dev/null 2>&1 &'"]}\n`,
    );
    await lab.runtime.deploy(spec, lab.sink, never);
    const pids = (await run(["ip", "netns", "pids", `clab-${spec.instanceName}-a`])).trim().split("\n").filter(Boolean);
    expect(pids.length).toBe(1);
    await lab.runtime.destroy(spec, lab.sink);
    expect(lab.output.some((line) => line.text === `Killed 1 process(es) left in the namespaces of ${spec.instanceName}: ${pids[0]}`)).toBe(
      true,
    );
    expect(isRunning(Number(pids[0]))).toBe(false);
  });

  test.skipIf(!isRoot)("a half-removed lab is still destroyed completely", async () => {
    const spec = lab.spec("half", PAIR);
    await lab.runtime.deploy(spec, lab.sink, never);
    const tag = lab.tagOf(spec);
    await run(["ip", "netns", "del", `clab-${spec.instanceName}-a`]);
    await run(["ip", "link", "del", "dev", `nl-${tag}`]);
    await lab.runtime.destroy(spec, lab.sink);
    expect(await lab.leftovers()).toEqual([]);
  });

  test.skipIf(!isRoot)("a deploy that overruns spec.timeoutMs fails and removes what it created", async () => {
    const spec = lab.spec("slow", `name: slow\ntopology:\n  nodes:\n    a: {kind: linux, exec: ["sleep 30"]}\n`, 1500);
    const failure = await lab.runtime.deploy(spec, lab.sink, never).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toBe('exec command "sleep 30" on node a did not finish before the deploy timeout');
    expect(lab.output.some((line) => line.text === `Deploy of ${spec.instanceName} failed; removing what was created`)).toBe(true);
    expect(await lab.leftovers()).toEqual([]);
    expect((await lab.runtime.listRunning()).map((instance) => instance.instanceName)).not.toContain(spec.instanceName);
  });

  test.skipIf(!isRoot)("a deploy aborted half-way fails and removes what it created", async () => {
    const spec = lab.spec("interrupted", `name: interrupted\ntopology:\n  nodes:\n    a: {kind: linux, exec: ["sleep 30"]}\n`);
    const controller = new AbortController();
    const deploying = lab.runtime.deploy(spec, lab.sink, controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(deploying).rejects.toThrow("was aborted");
    expect(await lab.leftovers()).toEqual([]);
    expect((await lab.runtime.listRunning()).map((instance) => instance.instanceName)).not.toContain(spec.instanceName);
  });

  test.skipIf(!isRoot)("an aborted deploy creates nothing", async () => {
    const spec = lab.spec("aborted", PAIR);
    const controller = new AbortController();
    controller.abort(new Error("session ended"));
    await expect(lab.runtime.deploy(spec, lab.sink, controller.signal)).rejects.toThrow("session ended");
    expect(await lab.leftovers()).toEqual([]);
    expect(await lab.runtime.listRunning()).not.toContainEqual({ instanceName: spec.instanceName, labId: spec.labId });
  });
});
