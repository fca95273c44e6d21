import { describe, expect, test } from "bun:test";
import { TopologyError } from "../../../src/topology/topology-error.ts";
import { isContainerlabTopology, parseContainerlabTopology } from "../../../src/topology/containerlab-topology.ts";
import { parseYamlSafely } from "../../../src/topology/safe-yaml.ts";
import { referenceFixture } from "../../support/reference-fixtures.ts";

/** The TopologyError a topology fails with (the test fails if it parses). */
function refusal(text: string): TopologyError {
  try {
    parseContainerlabTopology(text);
  } catch (error) {
    if (error instanceof TopologyError) return error;
    throw error;
  }
  throw new Error("the topology was accepted");
}

const twoNodes = (links: string, extra = "") =>
  `name: t
topology:
  nodes:
    a: {kind: linux}
    b: {kind: linux}${extra}
  links:
${links}`;

describe("containerlab fixtures", () => {
  test("01-linux-nodes parses with every container-only field reported", () => {
    const { topology, notes } = parseContainerlabTopology(referenceFixture("containerlab/topo.01-linux-nodes.clab.yml"));
    expect(topology.name).toBe("2-linux-nodes");
    expect(topology.mgmt.ipv4).toEqual({ subnet: "172.20.20.0/24", gateway: null, range: null, origin: "default" });
    expect(topology.mgmt.ipv6?.subnet).toBe("3fff:172:20:20::/64");
    expect(topology.nodes.map((node) => [node.name, node.mgmtIpv4])).toEqual([["l1", "172.20.20.99"], ["l2", "172.20.20.100"], [
      "l3",
      null,
    ]]);
    expect(topology.nodes[0]!.env).toEqual({ MYVAR: "MYVAR is SET" });
    const [brief, plain, veth, host, mgmtNet, dummy] = topology.links;
    expect(brief).toMatchObject({
      type: "veth",
      mtu: 2000,
      endpoints: [{ node: "l1", interface: "eth1" }, { node: "l2", interface: "some1" }],
    });
    expect(plain?.type === "veth" && plain.mtu).toBe(9500);
    expect(veth).toMatchObject({ endpoints: [{ mac: "02:00:00:00:00:00" }, { mac: "02:00:00:00:00:01" }] });
    expect(host).toMatchObject({
      endpoints: [{ node: "l2", interface: "eth4", placement: "namespace" }, { interface: "l2eth4", placement: "host" }],
    });
    expect(mgmtNet).toMatchObject({ endpoints: [{ interface: "eth5" }, { interface: "l2eth5mgmt", placement: "mgmt-net" }] });
    expect(dummy).toMatchObject({ type: "dummy", endpoint: { node: "l2", interface: "somedummy" } });
    for (
      const field of [
        "nodes.l1.image",
        "nodes.l1.cmd",
        "nodes.l1.binds",
        "nodes.l1.cpu",
        "nodes.l1.memory",
        "nodes.l1.healthcheck",
        "nodes.l2.ports",
        "nodes.l2.aliases",
        "nodes.l2.dns",
        "nodes.l3.network-mode",
      ]
    ) {
      expect(notes.some((note) => note.startsWith(`${field} `))).toBe(true);
    }
    expect(notes).toContain('nodes.l1.image "alpine:3" is ignored: the native runtime runs no containers, nothing is pulled or started');
  });

  test("03-bridge-and-host wires a bridge node and a host endpoint", () => {
    const { topology, notes } = parseContainerlabTopology(referenceFixture("containerlab/topo.03-bridge-and-host.clab.yml"));
    expect(topology.mgmt.bridge).toBe("01-03-mgmt");
    expect(topology.nodes.map((node) => [node.name, node.kind])).toEqual([["l1", "linux"], ["br-01-03-clab", "bridge"], [
      "hostnode",
      "host",
    ]]);
    expect(topology.links[1]).toMatchObject({
      endpoints: [{ node: "br-01-03-clab", interface: "l1-eth2", placement: "bridge" }, { node: "l1", placement: "namespace" }],
    });
    expect(topology.links[2]).toMatchObject({
      endpoints: [{ node: "l1", interface: "eth3" }, { node: "host", interface: "l1-01-03-eth3", placement: "host" }],
    });
    expect(notes).toEqual([
      'nodes.l1.image "alpine:3" is ignored: the native runtime runs no containers, nothing is pulled or started',
      'nodes.l1.cmd "ash -c \\"sleep 9999\\"" is ignored: the native runtime runs no containers; only exec commands run in the node\'s namespace',
    ]);
  });

  test("28-node-lifecycle is refused: nokia_srlinux needs a container", () => {
    const error = refusal(referenceFixture("containerlab/topo.28-node-lifecycle.clab.yml"));
    expect(error.field).toBe("nodes.l2.kind");
    expect(error.message).toContain('"nokia_srlinux" is not supported by the native runtime');
  });

  test("frr01 resolves kinds and images from groups: FRR routers take their binds as configuration, other images are reported", () => {
    const { topology, notes } = parseContainerlabTopology(referenceFixture("containerlab/topo.frr01.clab.yml"));
    expect(topology.nodes.map((node) => [node.name, node.kind, node.group])).toContainEqual(["PC1", "linux", "hosts"]);
    expect(topology.nodes.find((node) => node.name === "router1")?.image).toBe("quay.io/frrouting/frr:10.5.1");
    expect(topology.nodes.find((node) => node.name === "PC1")?.exec).toHaveLength(4);
    expect(topology.mgmt.ipv4).toBeNull();
    expect(topology.nodes.find((node) => node.name === "router2")?.frr).toEqual({
      files: {
        daemons: { path: "router2/daemons", field: "nodes.router2.binds[0]", optional: false },
        "frr.conf": { path: "router2/frr.conf", field: "nodes.router2.binds[1]", optional: false },
      },
    });
    expect(topology.nodes.find((node) => node.name === "PC1")?.frr).toBeNull();
    expect(notes).toEqual([
      'groups.hosts.image "wbitt/network-multitool:3.22.2" is ignored: the native runtime runs no containers, nothing is pulled or started',
    ]);
  });

  test("netlab's rendered clab.yml keeps its management subnet and pinned addresses", () => {
    const { topology, notes } = parseContainerlabTopology(referenceFixture("netlab/clab.yml.rendered-from-bridge-module-attr.yml"));
    expect(topology.mgmt).toMatchObject({ network: "netlab_mgmt", ipv4: { subnet: "192.168.121.0/24", origin: "topology" } });
    expect(topology.nodes.map((node) => node.mgmtIpv4)).toEqual(["192.168.121.101", "192.168.121.102", "192.168.121.103"]);
    expect(notes).toContain('nodes.r1.restart-policy "no" is ignored: the native runtime runs no containers, there is nothing to restart');
    expect(notes).toContain('nodes.r2.runtime "docker" is ignored: the native runtime replaces the container runtime');
  });
});

describe("refusals name the field", () => {
  const cases: [string, string, string, string][] = [
    [
      "unknown node in a brief link",
      twoNodes(`    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth2", "n9:eth1"]`),
      "links[1].endpoints[1]",
      'unknown node "n9"',
    ],
    [
      "unknown node in an extended link",
      twoNodes(`    - type: veth\n      endpoints: [{node: a, interface: eth1}, {node: zz, interface: eth1}]`),
      "links[0].endpoints[1].node",
      'unknown node "zz"',
    ],
    [
      "duplicate interface on a node",
      twoNodes(`    - endpoints: ["a:eth1", "b:eth1"]\n    - endpoints: ["a:eth1", "b:eth2"]`),
      "links[1].endpoints[0]",
      'interface "eth1" is already used on node a by links[0].endpoints[0]',
    ],
    [
      "interface name over 15 characters",
      twoNodes(`    - endpoints: ["a:ethernet-1-1-long", "b:eth1"]`),
      "links[0].endpoints[0]",
      "longer than 15 characters",
    ],
    [
      "interface name with a slash",
      twoNodes(`    - endpoints: ["a:eth1", "b:Ethernet1/1"]`),
      "links[0].endpoints[1]",
      "not a valid interface name",
    ],
    [
      "eth0 as a data interface",
      twoNodes(`    - endpoints: ["a:eth0", "b:eth1"]`),
      "links[0].endpoints[0]",
      "eth0 interface name is not allowed for a node when network mode is not set to none",
    ],
    [
      "an endpoint without a colon",
      twoNodes(`    - endpoints: ["a-eth1", "b:eth1"]`),
      "links[0].endpoints[0]",
      "not in the form node:interface",
    ],
    ["three endpoints", twoNodes(`    - endpoints: ["a:eth1", "b:eth1", "a:eth2"]`), "links[0].endpoints", "exactly 2 endpoints (3 given)"],
    [
      "an unsupported link type",
      twoNodes(`    - type: vxlan\n      endpoint: {node: a, interface: vx0}`),
      "links[0].type",
      '"vxlan" links are not supported',
    ],
    [
      "a macvlan endpoint",
      twoNodes(`    - endpoints: ["a:eth1", "macvlan:enp0s3"]`),
      "links[0].endpoints[1]",
      '"macvlan" endpoints are not supported',
    ],
    [
      "a bad MAC",
      twoNodes(`    - type: veth\n      endpoints: [{node: a, interface: eth1, mac: "01:00:5e:00:00:01"}, {node: b, interface: eth1}]`),
      "links[0].endpoints[0].mac",
      "not a unicast MAC",
    ],
    ["an MTU out of range", twoNodes(`    - endpoints: ["a:eth1", "b:eth1"]\n      mtu: 70000`), "links[0].mtu", "not a usable MTU"],
    [
      "an unknown link key",
      twoNodes(`    - endpoints: ["a:eth1", "b:eth1"]\n      speed: 10G`),
      "links[0].speed",
      "not a containerlab topology field",
    ],
    [
      "a dummy in a bridge node",
      twoNodes(`    - type: dummy\n      endpoint: {node: br1, interface: d0}`, "\n    br1: {kind: bridge}"),
      "links[0].endpoint.node",
      "dummy interfaces can only be created in linux nodes",
    ],
  ];
  for (const [what, text, field, message] of cases) {
    test(what, () => {
      const error = refusal(text);
      expect(error.field).toBe(field);
      expect(error.message).toContain(message);
    });
  }

  const topologyCases: [string, string, string, string][] = [
    ["an invalid lab name", "name: -lab\ntopology: {nodes: {a: {kind: linux}}}", "name", "not a valid lab name"],
    ["an invalid node name", "name: t\ntopology: {nodes: {'a b': {kind: linux}}}", "nodes.a b", "not a valid node name"],
    [
      "an unusable prefix",
      "name: t\nprefix: 'my/prefix'\ntopology: {nodes: {a: {kind: linux}}}",
      "prefix",
      "becomes part of namespace names",
    ],
    [
      "an unsupported kind",
      "name: t\ntopology: {nodes: {a: {kind: ceos}}}",
      "nodes.a.kind",
      '"ceos" is not supported by the native runtime (supported kinds: linux, bridge, host)',
    ],
    ["a missing kind", "name: t\ntopology: {nodes: {a: {image: alpine}}}", "nodes.a.kind", "is missing"],
    [
      "an unsupported kind inherited from a group",
      "name: t\ntopology:\n  groups: {spines: {kind: srl}}\n  nodes: {a: {group: spines}}",
      "groups.spines.kind",
      '"srl" is not supported',
    ],
    [
      "a subnet that is not CIDR",
      "name: t\nmgmt: {ipv4-subnet: 10.1.0.0/33}\ntopology: {nodes: {a: {kind: linux}}}",
      "mgmt.ipv4-subnet",
      "not an IPv4 subnet in CIDR form",
    ],
    [
      "a subnet with host bits",
      "name: t\nmgmt: {ipv4-subnet: 10.1.0.7/24}\ntopology: {nodes: {a: {kind: linux}}}",
      "mgmt.ipv4-subnet",
      "did you mean 10.1.0.0/24?",
    ],
    [
      "a bad management address",
      "name: t\nmgmt: {ipv4-subnet: 10.1.0.0/24}\ntopology: {nodes: {a: {kind: linux, mgmt-ipv4: 300.1.1.1}}}",
      "nodes.a.mgmt-ipv4",
      '"300.1.1.1" is not an IPv4 address',
    ],
    [
      "an address outside the subnet",
      "name: t\nmgmt: {ipv4-subnet: 10.1.0.0/24}\ntopology: {nodes: {a: {kind: linux, mgmt-ipv4: 10.2.0.5}}}",
      "nodes.a.mgmt-ipv4",
      "outside the management subnet 10.1.0.0/24",
    ],
    [
      "the gateway as a node address",
      "name: t\nmgmt: {ipv4-subnet: 10.1.0.0/24}\ntopology: {nodes: {a: {kind: linux, mgmt-ipv4: 10.1.0.1}}}",
      "nodes.a.mgmt-ipv4",
      "already used by the gateway",
    ],
    [
      "two nodes on one address",
      "name: t\nmgmt: {ipv4-subnet: 10.1.0.0/24}\ntopology: {nodes: {a: {kind: linux, mgmt-ipv4: 10.1.0.9}, b: {kind: linux, mgmt-ipv4: 10.1.0.9}}}",
      "nodes.b.mgmt-ipv4",
      "already used by nodes.a.mgmt-ipv4",
    ],
    [
      "a bad gateway",
      "name: t\nmgmt: {ipv6-subnet: 'fd00:1::/64', ipv6-gw: 'fd00:2::1'}\ntopology: {nodes: {a: {kind: linux}}}",
      "mgmt.ipv6-gw",
      "outside the management subnet fd00:1::/64",
    ],
    ["an unknown top-level key", "name: t\nnodes: {}\ntopology: {nodes: {a: {kind: linux}}}", "nodes", "not a containerlab topology field"],
    [
      "an unknown key under topology",
      "name: t\ntopology: {nodes: {a: {kind: linux}}, link: []}",
      "topology.link",
      "not a containerlab topology field",
    ],
    [
      "an unknown node key",
      "name: t\ntopology: {nodes: {a: {kind: linux, imagee: alpine}}}",
      "nodes.a.imagee",
      "not a containerlab topology field",
    ],
    [
      "exec that is not a list",
      "name: t\ntopology: {nodes: {a: {kind: linux, exec: 'ip link'}}}",
      "nodes.a.exec",
      'must be a list (got string "ip link")',
    ],
    [
      "exec shlex cannot split",
      "name: t\ntopology: {defaults: {exec: ['echo \"oops']}, nodes: {a: {kind: linux}}}",
      "defaults.exec[0]",
      "has an unterminated double quote",
    ],
    ["a missing topology", "name: t", "topology", "is required"],
    ["a missing name", "topology: {nodes: {a: {kind: linux}}}", "name", "is required"],
    ["no nodes", "name: t\ntopology: {nodes: {}}", "nodes", "at least one node"],
    [
      "container network mode",
      "name: t\ntopology: {nodes: {a: {kind: linux}, b: {kind: linux, network-mode: 'container:a'}}}",
      "nodes.b.network-mode",
      "every node has its own namespace",
    ],
    [
      "a sysctl value the runtime cannot pass safely",
      "name: t\ntopology: {nodes: {a: {kind: linux, sysctls: {net.ipv4.tcp_syncookies: '1 # x'}}}}",
      "nodes.a.sysctls.net.ipv4.tcp_syncookies",
      "not a sysctl value",
    ],
    ["text that is not YAML", "name: [t", "topology", "is not valid YAML"],
  ];
  for (const [what, text, field, message] of topologyCases) {
    test(what, () => {
      const error = refusal(text);
      expect(error.field).toBe(field);
      expect(error.message).toContain(message);
    });
  }

  test("eth0 is a data interface only with network-mode none", () => {
    const { topology, notes } = parseContainerlabTopology(
      twoNodes(`    - endpoints: ["a:eth0", "b:eth1"]`).replace(
        "a: {kind: linux}",
        "a: {kind: linux, network-mode: none, mgmt-ipv4: 172.20.20.5}",
      ),
    );
    expect(topology.nodes[0]).toMatchObject({ hasMgmtInterface: false, mgmtIpv4: null });
    expect(notes).toEqual(['nodes.a.mgmt-ipv4 "172.20.20.5" is ignored: the node has network-mode none, so no management interface']);
  });
});

describe("inheritance", () => {
  const layered = `name: inherit
topology:
  defaults: {kind: linux, image: base, exec: ["echo defaults", "echo shared"], env: {LEVEL: defaults, D: "1"}}
  kinds: {linux: {exec: ["echo kind", "echo shared"], env: {LEVEL: kind}, group: fromkind}}
  groups:
    routers: {image: frr, exec: ["echo group"], env: {LEVEL: group, G: 2}}
    fromkind: {exec: ["echo kind-group"]}
  nodes:
    r1: {group: routers, exec: ["echo node", "echo defaults"], env: {LEVEL: node}}
    h1: {}
`;

  test("scalars come from node, group, kind, defaults; lists merge defaults first without duplicates; maps merge with the node winning", () => {
    const { topology, notes } = parseContainerlabTopology(layered);
    const [r1, h1] = topology.nodes;
    expect(r1).toMatchObject({ kind: "linux", group: "routers", image: "frr", env: { LEVEL: "node", D: "1", G: "2" } });
    expect(r1?.exec).toEqual(["echo defaults", "echo shared", "echo kind", "echo group", "echo node"]);
    expect(h1).toMatchObject({ kind: "linux", group: "fromkind", image: "base", env: { LEVEL: "kind", D: "1" } });
    expect(h1?.exec).toEqual(["echo defaults", "echo shared", "echo kind", "echo kind-group"]);
    expect(notes).toEqual([
      'defaults.image "base" is ignored: the native runtime runs no containers, nothing is pulled or started',
      'groups.routers.image "frr" is ignored: the native runtime runs no containers, nothing is pulled or started',
    ]);
  });

  test("net.* sysctls are kept for the namespace, others are reported", () => {
    const { topology, notes } = parseContainerlabTopology(
      "name: t\ntopology: {nodes: {a: {kind: linux, sysctls: {net.ipv4.conf.all.rp_filter: 0, kernel.pid_max: 4096}}}}",
    );
    expect(topology.nodes[0]?.sysctls).toEqual({ "net.ipv4.conf.all.rp_filter": "0" });
    expect(notes).toEqual([
      'nodes.a.sysctls.kernel.pid_max "4096" is ignored: only net.* sysctls belong to the node\'s namespace; others would change the host',
    ]);
  });

  test("labbroker.exec-failure is inherited like any label, read rather than reported, and must be allow or fail", () => {
    const { topology, notes } = parseContainerlabTopology(
      "name: t\ntopology:\n  defaults: {labels: {labbroker.exec-failure: allow, team: x}}\n  nodes:\n    a: {kind: linux}\n    b: {kind: linux, labels: {labbroker.exec-failure: fail}}\n",
    );
    expect(topology.nodes.map((node) => [node.name, node.execFailureAllowed])).toEqual([["a", true], ["b", false]]);
    expect(notes).toEqual([
      'defaults.labels {"team":"x"} is ignored: the native runtime runs no containers, labels are not recorded (labbroker.* labels are read)',
    ]);
    const refused = refusal("name: t\ntopology:\n  nodes:\n    a: {kind: linux, labels: {labbroker.exec-failure: maybe}}\n");
    expect([refused.field, refused.message]).toEqual([
      "nodes.a.labels.labbroker.exec-failure",
      expect.stringContaining('"maybe" must be "allow"'),
    ]);
  });

  test("FRR images are recognised with or without registry, tag or digest; a folder bind to /etc/frr supplies what file binds do not", () => {
    for (
      const image of ["frrouting/frr:v8.4.0", "quay.io/frrouting/frr:10.2.1", "docker.io/frrouting/frr", "frrouting/frr-debian:latest"]
    ) {
      expect([image, parseContainerlabTopology(`name: t\ntopology: {nodes: {a: {kind: linux, image: "${image}"}}}`).topology.nodes[0]?.frr])
        .toEqual([image, { files: {} }]);
    }
    expect(parseContainerlabTopology("name: t\ntopology: {nodes: {a: {kind: linux, image: frr-lookalike/frr}}}").topology.nodes[0]?.frr)
      .toBeNull();
    const { topology, notes } = parseContainerlabTopology(
      "name: t\ntopology:\n  nodes:\n    a: {kind: linux, image: frrouting/frr, binds: [cfg/a:/etc/frr, own/frr.conf:/etc/frr/frr.conf:ro, data:/data]}\n",
    );
    expect(topology.nodes[0]?.frr?.files).toEqual({
      "frr.conf": { path: "own/frr.conf", field: "nodes.a.binds[1]", optional: false },
      daemons: { path: "cfg/a/daemons", field: "nodes.a.binds[0]", optional: true },
      "vtysh.conf": { path: "cfg/a/vtysh.conf", field: "nodes.a.binds[0]", optional: true },
    });
    expect(notes).toEqual([
      'nodes.a.binds[2] "data:/data" is ignored: only binds to /etc/frr (frr.conf, daemons, vtysh.conf or the folder) configure an FRR node; nothing else is mounted',
    ]);
  });

  test("labbroker.unsupported-image: refuse turns the note about an image the native runtime cannot run into a refusal", () => {
    const topology = (label: string) =>
      `name: t\ntopology:\n  defaults: {kind: linux, labels: {labbroker.unsupported-image: ${label}}}\n  nodes:\n    r1: {image: frrouting/frr}\n    sw: {image: ghcr.io/nokia/srlinux}\n`;
    const refused = refusal(topology("refuse"));
    expect([refused.field, refused.message]).toEqual([
      "nodes.sw.image",
      expect.stringContaining('"ghcr.io/nokia/srlinux" cannot run on the native runtime'),
    ]);
    expect(parseContainerlabTopology(topology("ignore")).notes).toEqual([
      'nodes.sw.image "ghcr.io/nokia/srlinux" is ignored: the native runtime runs no containers, nothing is pulled or started',
    ]);
    expect(refusal(topology("sometimes")).field).toBe("defaults.labels.labbroker.unsupported-image");
  });

  test("exec and env on bridge and host nodes are reported, not run", () => {
    const { topology, notes } = parseContainerlabTopology(
      "name: t\ntopology: {nodes: {br1: {kind: bridge, exec: [ip link]}, h: {kind: host, exec: [reboot], env: {A: b}}}}",
    );
    expect(topology.nodes.map((node) => node.exec)).toEqual([[], []]);
    expect(notes).toHaveLength(3);
    expect(notes[1]).toStartWith('nodes.h.exec ["reboot"] is ignored: host nodes stand for the host itself');
  });
});

test("isContainerlabTopology tells containerlab topologies from netlab ones", () => {
  expect(isContainerlabTopology(parseYamlSafely(referenceFixture("containerlab/topo.frr01.clab.yml")))).toBe(true);
  expect(isContainerlabTopology(parseYamlSafely(referenceFixture("netlab/topology.clab-01-links.yml")))).toBe(false);
  expect(isContainerlabTopology({ topology: { nodes: [] } })).toBe(false);
  expect(isContainerlabTopology(null)).toBe(false);
  expect(isContainerlabTopology("topology: {nodes: {}}")).toBe(false);
});
