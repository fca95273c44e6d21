import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { cpSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../../src/hosts/command-runner.ts";
import { LabRegistry } from "../../../src/hosts/native/lab-registry.ts";
import { FRR_INSTALLED, frrProcessesOf, inNode, NEEDS_FRR, waitForOspfFull } from "../../support/frr.ts";
import { isRoot, isRunning, NativeLabFixture, NEEDS_ROOT, run } from "../../support/native-labs.ts";
import { uniquelyNamed } from "../../support/unique-topology.ts";

/** Resetting real native labs: what a session did inside the nodes is gone, what the deploy made is back. */

const PAIR = `name: resetpair
topology:
  nodes:
    a: {kind: linux, exec: ["ip addr add 10.0.9.1/24 dev eth1", "sysctl -qw net.ipv4.conf.all.rp_filter=2"]}
    b: {kind: linux, exec: ["ip addr add 10.0.9.2/24 dev eth1"]}
  links:
    - endpoints: ["a:eth1", "b:eth1"]
`;

setDefaultTimeout(90_000);

const never = new AbortController().signal;
const EXAMPLE = join(import.meta.dir, "../../../examples/topologies/containerlab-frr");

/** What a node looks like from inside: addresses, routes of every table, rules, links, three sysctls (lines sorted: a table is a set). */
async function nodeView(prefix: readonly string[]): Promise<string> {
  const show = async (argv: string[]) => (await inNode(prefix, argv)).replace(/ +$/gm, "").split("\n").sort().join("\n");
  return [
    await show(["ip", "-br", "address"]),
    await show(["ip", "route", "show", "table", "all"]),
    await show(["ip", "-6", "route", "show", "table", "all"]),
    await show(["ip", "rule"]),
    await show(["ip", "-br", "link"]),
    await show(["sysctl", "net.ipv4.ip_forward", "net.ipv4.conf.all.rp_filter", "net.ipv4.tcp_keepalive_probes"]),
  ].join("\n");
}

describe.skipIf(!isRoot)(`resetting native labs (${isRoot ? "as root" : NEEDS_ROOT})`, () => {
  let lab: NativeLabFixture;
  beforeEach(() => {
    lab = new NativeLabFixture();
  });
  afterEach(async () => {
    await lab.cleanup();
    expect(await lab.leftovers()).toEqual([]);
  });

  test("an address, a route, a rule, a link, sysctls and a detached process added in a node are gone after the reset; the deploy's addresses and exec effects are back", async () => {
    const spec = { ...lab.spec("resetpair", uniquelyNamed(PAIR)), keepBaseline: true };
    await lab.runtime.deploy(spec, lab.sink, never);
    lab.tagOf(spec);
    const a = lab.runtime.nodeExecPrefix(spec, "a");
    const deployed = await nodeView(a);

    await inNode(a, [
      "sh",
      "-c",
      [
        "ip addr add 198.51.100.7/32 dev lo",
        "ip addr del 10.0.9.1/24 dev eth1",
        "ip addr add 10.0.9.11/24 dev eth1",
        "ip route add 203.0.113.0/24 via 10.0.9.2",
        "ip route add 192.0.2.0/24 via 10.0.9.2 table 100",
        "ip rule add from 10.1.1.1 lookup 100",
        "ip link add extra0 type veth peer name extra1",
        "ip link set eth1 mtu 1400",
        "sysctl -qw net.ipv4.ip_forward=0 net.ipv4.conf.all.rp_filter=0 net.ipv4.tcp_keepalive_probes=3",
      ].join(" && "),
    ]);
    // Kept past its command's end, as a job's detached daemon would be.
    const started = await runCommand([...a, "sh", "-c", "setsid sleep 3600 </dev/null >/dev/null 2>&1 & echo $!"], {
      timeoutMs: 10_000,
      leftovers: "keep",
    });
    const sleeper = Number(started.stdout.trim());
    expect(isRunning(sleeper)).toBe(true);
    expect(await nodeView(a)).not.toBe(deployed);

    const nodes = await lab.runtime.reset!(spec, lab.sink, never);
    expect(nodes.map((node) => [node.name, node.state])).toEqual([["a", "running"], ["b", "running"]]);
    expect(isRunning(sleeper)).toBe(false);
    expect(await nodeView(a)).toBe(deployed);
    expect(await inNode(a, ["ping", "-c1", "-W2", "10.0.9.2"])).toContain("1 received");
    expect(lab.output.map((line) => line.text)).toContainEqual(expect.stringMatching(/^Lab resetpair-\w+ reset in \d+ ms$/));
  });

  test("a lab deployed without a baseline refuses a reset and stays as it is", async () => {
    const spec = lab.spec("nobase", uniquelyNamed(PAIR.replace("resetpair", "nobase")));
    await lab.runtime.deploy(spec, lab.sink, never);
    lab.tagOf(spec);
    expect(lab.runtime.reset!(spec, lab.sink, never)).rejects.toThrow("was not deployed to be reset (no baseline of node a)");
    expect(await run(["ip", "netns", "exec", lab.runtime.nodeExecPrefix(spec, "a")[3]!, "ip", "-br", "address", "show", "eth1"])).toContain(
      "10.0.9.1/24",
    );
  });

  test.skipIf(!FRR_INSTALLED)(`FRR nodes come back with the topology's configuration after a reset (else ${NEEDS_FRR})`, async () => {
    cpSync(join(EXAMPLE, "configs"), join(lab.workDir, "configs"), { recursive: true });
    const spec = { ...lab.spec("frr", uniquelyNamed(readFileSync(join(EXAMPLE, "frr-ospf.clab.yml"), "utf8"))), keepBaseline: true };
    await lab.runtime.deploy(spec, lab.sink, never);
    lab.tagOf(spec);
    const prefixes = { r1: lab.runtime.nodeExecPrefix(spec, "r1"), r2: lab.runtime.nodeExecPrefix(spec, "r2") };
    await waitForOspfFull(prefixes, { r1: 1, r2: 1 }, 30_000);
    const pathspaces = new LabRegistry(lab.stateDir).read(spec.instanceName)!.nodes.map((node) => node.frr!.pathspace);
    const before = frrProcessesOf(pathspaces);

    await inNode(prefixes.r1, ["vtysh", "-c", "configure terminal", "-c", "no router ospf"]);
    await lab.runtime.reset!(spec, lab.sink, never);

    const after = frrProcessesOf(pathspaces);
    expect(after.length).toBe(before.length);
    expect(after.filter((pid) => before.includes(pid))).toEqual([]);
    await waitForOspfFull(prefixes, { r1: 1, r2: 1 }, 30_000);
  });
});
