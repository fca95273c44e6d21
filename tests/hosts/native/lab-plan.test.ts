import { describe, expect, test } from "bun:test";
import { TopologyError } from "../../../src/topology/topology-error.ts";
import type { HostFacts, HostLink } from "../../../src/hosts/native/host-facts.ts";
import { type PlanInput, planLab } from "../../../src/hosts/native/lab-plan.ts";
import type { LabRecord } from "../../../src/hosts/native/lab-record.ts";
import { parseContainerlabTopology } from "../../../src/topology/containerlab-topology.ts";
import { parseIpPrefix } from "../../../src/topology/ip-prefix.ts";

/** Planning is pure: these tests run anywhere, without root, against a described host. */

const LINE = `name: line
topology:
  nodes:
    a: {kind: linux, exec: ["echo __clabNodeName__ in __clabLabName__ at __clabNodeDir__"], env: {ROLE: edge}}
    b: {kind: linux}
    c: {kind: linux}
  links:
    - endpoints: ["a:eth1", "b:eth1"]
    - type: veth
      endpoints: [{node: b, interface: eth2, mac: "02:00:00:00:00:0b"}, {node: c, interface: eth1}]
`;

function hostLink(name: string, kind: string | null): [string, HostLink] {
  return [name, { name, kind, master: null, peerInNamespace: false }];
}

function hostWith(facts: Partial<HostFacts> = {}): HostFacts {
  return { links: new Map([hostLink("eth0", null)]), namespaces: new Set(), usedPrefixes: [], ...facts };
}

function used(cidr: string, owner: string) {
  return { prefix: parseIpPrefix(cidr)!.prefix, owner };
}

/** Bytes 0, 1, 2, … so tags and MACs are predictable. */
function countingRandom() {
  let next = 0;
  return (count: number) => Uint8Array.from({ length: count }, () => next++ % 256);
}

function plan(topologyText: string, overrides: Partial<PlanInput> = {}) {
  return planLab({
    topology: parseContainerlabTopology(topologyText).topology,
    labId: "lab-1",
    instanceName: "line-1700000000",
    topologyPath: "/labs/line/topology.clab.yml",
    host: hostWith(),
    otherLabs: [],
    stubKind: "dummy",
    frrFiles: new Map(),
    random: countingRandom(),
    now: new Date("2026-01-01T00:00:00Z"),
    ...overrides,
  });
}

function otherLab(instanceName: string, ipv4Subnet: string): LabRecord {
  const { record } = plan("name: other\nmgmt: {ipv4-subnet: 10.99.0.0/24}\ntopology: {nodes: {x: {kind: linux}}}", { instanceName });
  return { ...record, mgmt: { ...record.mgmt, ipv4Subnet } };
}

function refusal(action: () => unknown): TopologyError {
  try {
    action();
  } catch (error) {
    if (error instanceof TopologyError) return error;
    throw error;
  }
  throw new Error("the plan was accepted");
}

describe("names", () => {
  test("namespaces follow containerlab's container names and host interface names stay within 15 characters", () => {
    const { record } = plan(LINE, { host: hostWith({ usedPrefixes: [used("172.20.20.0/22", "route")] }) });
    expect(record.namespaces).toEqual(["clab-line-1700000000-a", "clab-line-1700000000-b", "clab-line-1700000000-c"]);
    expect(record.tag).toBe("abcdef");
    expect(record.mgmt.bridge).toBe("nl-abcdef");
    expect(record.hostInterfaces).toEqual(["nl-abcdef-0", "nl-abcdef-1", "nl-abcdef-2"]);
    for (const name of [...record.hostInterfaces, ...record.ownedBridges]) expect(name.length).toBeLessThanOrEqual(15);
  });

  test("prefix '' and __lab-name shorten namespace names like containerlab", () => {
    const single = "topology: {nodes: {a: {kind: linux}}}";
    expect(plan(`name: t\nprefix: ''\n${single}`).record.namespaces).toEqual(["a"]);
    expect(plan(`name: t\nprefix: __lab-name\n${single}`).record.namespaces).toEqual(["line-1700000000-a"]);
  });
});

describe("management addressing", () => {
  test("a free /24 is allocated past host addresses, routes and other labs", () => {
    const host = hostWith({
      usedPrefixes: [
        used("172.20.20.1/24", "address 172.20.20.1/24 on br-docker"),
        used("172.20.21.0/24", "route 172.20.21.0/24 dev tun0"),
      ],
    });
    const { record } = plan(LINE.replace("name: line", "name: line\nmgmt: {ipv4-subnet: auto}"), {
      host,
      otherLabs: [otherLab("other-1", "172.20.22.0/24")],
    });
    expect(record.mgmt).toMatchObject({ ipv4Subnet: "172.20.23.0/24", ipv4Gateway: "172.20.23.1", ipv6Subnet: null });
  });

  test("nodes get the next free addresses in topology order, around the gateway and pinned addresses", () => {
    const { record } = plan(
      LINE.replace("name: line", "name: line\nmgmt: {ipv4-subnet: 172.20.23.0/24}").replace(
        "b: {kind: linux}",
        "b: {kind: linux, mgmt-ipv4: 172.20.23.2}",
      ),
    );
    expect(record.nodes.map((node) => [node.name, node.mgmtIpv4])).toEqual([["a", "172.20.23.3"], ["b", "172.20.23.2"], [
      "c",
      "172.20.23.4",
    ]]);
  });

  test("a subnet already used on the host is refused, naming what uses it", () => {
    const host = hostWith({ usedPrefixes: [used("192.0.2.2/24", "address 192.0.2.2/24 on eth0")] });
    const error = refusal(() => plan("name: t\nmgmt: {ipv4-subnet: 192.0.2.0/24}\ntopology: {nodes: {a: {kind: linux}}}", { host }));
    expect(error.field).toBe("mgmt.ipv4-subnet");
    expect(error.message).toContain("192.0.2.0/24 is already in use on this host: address 192.0.2.2/24 on eth0");
  });

  test("a subnet another native lab reserved is refused even before its bridge exists", () => {
    const error = refusal(() =>
      plan("name: t\nmgmt: {ipv4-subnet: 10.20.0.0/16}\ntopology: {nodes: {a: {kind: linux}}}", {
        otherLabs: [otherLab("busy-1", "10.20.30.0/24")],
      })
    );
    expect(error.message).toContain('management subnet of native lab "busy-1"');
  });

  test("IPv6 management addresses are planned when the topology asks for them", () => {
    const { record, namespaceBatches } = plan(
      "name: t\nmgmt: {ipv6-subnet: 'fd00:10::/64'}\ntopology: {nodes: {a: {kind: linux}, b: {kind: linux, mgmt-ipv6: 'fd00:10::99'}}}",
    );
    expect(record.mgmt).toMatchObject({ ipv6Subnet: "fd00:10::/64", ipv6Gateway: "fd00:10::1" });
    expect(record.nodes.map((node) => node.mgmtIpv6)).toEqual(["fd00:10::2", "fd00:10::99"]);
    expect(namespaceBatches[0]!.lines).toContain("address add fd00:10::2/64 dev eth0 nodad");
  });
});

describe("collisions with the host", () => {
  test("an existing namespace, host interface or management bridge is refused with the topology field", () => {
    expect(refusal(() => plan(LINE, { host: hostWith({ namespaces: new Set(["clab-line-1700000000-b"]) }) })).field).toBe("nodes.b");
    const withHostEndpoint = "name: t\ntopology:\n  nodes: {a: {kind: linux}}\n  links: [{endpoints: ['a:eth1', 'host:veth-taken']}]";
    const taken = hostWith({ links: new Map([hostLink("veth-taken", "veth")]) });
    expect(refusal(() => plan(withHostEndpoint, { host: taken })).field).toBe("links[0].endpoints[1]");
    const bridge = hostWith({ links: new Map([hostLink("mgmt0", "bridge")]) });
    expect(refusal(() => plan("name: t\nmgmt: {bridge: mgmt0}\ntopology: {nodes: {a: {kind: linux}}}", { host: bridge })).field).toBe(
      "mgmt.bridge",
    );
  });

  test("an existing bridge node is shared, a missing one is created and owned; a non-bridge of that name is refused", () => {
    const text =
      "name: t\ntopology:\n  nodes: {a: {kind: linux}, br-old: {kind: bridge}, br-new: {kind: bridge}}\n  links: [{endpoints: ['a:eth1', 'br-old:p1']}, {endpoints: ['a:eth2', 'br-new:p2']}]";
    const host = hostWith({ links: new Map([hostLink("br-old", "bridge")]) });
    const { record, hostBatch } = plan(text, { host });
    expect(record.sharedBridges).toEqual(["br-old"]);
    expect(record.ownedBridges).toEqual([record.mgmt.bridge, "br-new"]);
    expect(hostBatch).toContain("link add name br-new up type bridge");
    expect(hostBatch.some((line) => line.startsWith("link add name p1 master br-old mtu 9500 address aa:c1:ab:"))).toBe(true);
    const notBridge = hostWith({ links: new Map([hostLink("br-old", "veth")]) });
    expect(refusal(() => plan(text, { host: notBridge })).message).toContain("is a veth interface, not a bridge");
  });
});

describe("ip batches and exec", () => {
  test("veths are created with both ends in place; peers, addresses and routes are set inside the namespaces", () => {
    const { hostBatch, namespaceBatches, record } = plan(LINE);
    expect(hostBatch.slice(0, 3)).toEqual(record.namespaces.map((namespace) => `netns add ${namespace}`));
    expect(hostBatch).toContain("link add name nl-abcdef-0 up master nl-abcdef type veth peer name eth0 netns clab-line-1700000000-a");
    const dataLink = hostBatch.find((line) => line.startsWith("link add name eth2"));
    expect(dataLink).toStartWith(
      "link add name eth2 netns clab-line-1700000000-b mtu 9500 address 02:00:00:00:00:0b up type veth peer name eth1 netns clab-line-1700000000-c mtu 9500 address aa:c1:ab:",
    );
    expect(hostBatch.at(-1)).toBe("netns exec clab-line-1700000000-c sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.disable_ipv6=0");
    expect(namespaceBatches.find((batch) => batch.namespace === "clab-line-1700000000-c")?.lines).toEqual([
      "link set dev lo up",
      "link set dev eth0 up",
      `address add ${record.nodes[2]!.mgmtIpv4}/24 dev eth0`,
      `route add default via ${record.mgmt.ipv4Gateway} dev eth0`,
      "link set dev eth1 up",
    ]);
    expect(record.nodes.map((node) => node.interfaces)).toEqual([["eth1"], ["eth1", "eth2"], ["eth1"]]);
  });

  test("host, mgmt-net and dummy endpoints land where containerlab puts them", () => {
    const text =
      "name: t\ntopology:\n  nodes: {a: {kind: linux}}\n  links:\n    - endpoints: ['a:eth1', 'host:a-eth1']\n    - {type: mgmt-net, host-interface: a-mgmt, endpoint: {node: a, interface: eth2}}\n    - {type: dummy, mtu: 1400, endpoint: {node: a, interface: dummy0}}";
    const { hostBatch, record } = plan(text);
    expect(
      hostBatch.some((line) =>
        line.startsWith("link add name a-eth1 mtu 9500 address aa:c1:ab:") &&
        line.includes(" up type veth peer name eth1 netns clab-line-1700000000-a")
      ),
    ).toBe(true);
    expect(hostBatch.some((line) => line.startsWith(`link add name a-mgmt master ${record.mgmt.bridge} mtu 9500`))).toBe(true);
    expect(
      hostBatch.some((line) =>
        line.startsWith("link add name dummy0 netns clab-line-1700000000-a mtu 1400 address aa:c1:ab:") && line.endsWith(" up type dummy")
      ),
    ).toBe(true);
    expect(record.hostInterfaces).toEqual([`nl-${record.tag}-0`, "a-eth1", "a-mgmt"]);
  });

  test("exec commands get containerlab's magic variables, CLAB_INTFS and the node env", () => {
    const [a] = plan(LINE).execs;
    expect(a).toEqual({
      node: "a",
      namespace: "clab-line-1700000000-a",
      commands: ["echo a in line-1700000000 at /labs/line/clab-line-1700000000/a"],
      env: { CLAB_INTFS: "1", ROLE: "edge" },
      failureAllowed: false,
    });
  });
});
