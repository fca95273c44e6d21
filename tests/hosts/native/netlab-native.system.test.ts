import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { FRR_INSTALLED, inNode, NEEDS_FRR, waitForOspfFull, waitForRoute } from "../../support/frr.ts";
import { isRoot, NativeLabFixture } from "../../support/native-labs.ts";

/** The netlab OSPF example built natively: netlab's addresses, FRR configured as netlab would, OSPF Full. */

const EXAMPLE = readFileSync(join(import.meta.dir, "../../../examples/topologies/netlab-ospf/topology.yml"), "utf8");

/** What netlab assigns to the triangle r1-r2, r2-r3, r1-r3 (p2p /30s in link order, .1 to the lower name). */
const NETLAB_ADDRESSES = {
  r1: { eth0: "192.168.121.101/24", lo: "10.0.0.1/32", eth1: "10.1.0.1/30", eth2: "10.1.0.9/30" },
  r2: { eth0: "192.168.121.102/24", lo: "10.0.0.2/32", eth1: "10.1.0.2/30", eth2: "10.1.0.5/30" },
  r3: { eth0: "192.168.121.103/24", lo: "10.0.0.3/32", eth1: "10.1.0.6/30", eth2: "10.1.0.10/30" },
};

describe.skipIf(!isRoot || !FRR_INSTALLED)(`netlab topologies on the native runtime (else ${NEEDS_FRR})`, () => {
  let fixture: NativeLabFixture;
  beforeEach(() => {
    fixture = new NativeLabFixture();
  });
  afterEach(async () => {
    await fixture.cleanup();
  });

  test("the netlab OSPF example gets netlab's addresses, reaches Full everywhere and routes r1 to r3's loopback directly", async () => {
    const spec = fixture.spec("netlab", EXAMPLE);
    const nodes = await fixture.runtime.deploy(spec, fixture.sink, new AbortController().signal);
    fixture.tagOf(spec);
    expect(nodes.map((node) => [node.name, node.kind, node.mgmtIpv4, node.raw.ansible_network_os, node.raw.id])).toEqual([
      ["r1", "frr", "192.168.121.101", "frr", 1],
      ["r2", "frr", "192.168.121.102", "frr", 2],
      ["r3", "frr", "192.168.121.103", "frr", 3],
    ]);
    const prefixes = Object.fromEntries(["r1", "r2", "r3"].map((node) => [node, fixture.runtime.nodeExecPrefix(spec, node)]));
    for (const [node, expected] of Object.entries(NETLAB_ADDRESSES)) {
      const links = JSON.parse(await inNode(prefixes[node]!, ["ip", "-j", "address", "show"])) as {
        ifname: string;
        addr_info: { family: string; local: string; prefixlen: number }[];
      }[];
      const actual = Object.fromEntries(
        links.filter((link) => link.ifname in expected).map((link) => [
          link.ifname,
          link.addr_info.filter((info) => info.family === "inet" && info.local !== "127.0.0.1").map((info) =>
            `${info.local}/${info.prefixlen}`
          )[0],
        ]),
      );
      expect([node, actual]).toEqual([node, expected]);
    }
    await waitForOspfFull(prefixes, { r1: 2, r2: 2, r3: 2 }, 60_000);
    expect(await waitForRoute(prefixes.r1!, "10.0.0.3/32", "10.1.0.10", 30_000)).toMatchObject({
      protocol: "ospf",
      nexthops: [{ ip: "10.1.0.10", interfaceName: "eth2" }],
    });
    const trace = await inNode(prefixes.r1!, ["traceroute", "-n", "-q1", "-w1", "10.0.0.3"]);
    expect(trace.trim().split("\n").slice(1).map((line) => line.trim().split(/\s+/)[1])).toEqual(["10.0.0.3"]);
  }, 120_000);

  test("a netlab topology outside the subset is refused naming every unsupported key", async () => {
    const spec = fixture.spec("unsupported", "defaults.device: frr\nmodule: [ospf, bgp]\nbgp.as: 65000\nnodes: [r1, r2]\nlinks: [r1-r2]\n");
    const failure = (await fixture.runtime.deploy(spec, fixture.sink, new AbortController().signal).catch((error: Error) =>
      error
    )) as Error;
    expect(failure.message).toBe("topology: outside the native runtime's netlab subset: module: bgp, bgp");
  });
});
