import { describe, expect, test } from "bun:test";
import { parse } from "yaml";
import { readNetlabInput } from "../../src/topology/netlab/netlab-input.ts";
import { transformNetlab } from "../../src/topology/netlab/netlab-transform.ts";
import { referenceFixture } from "../support/reference-fixtures.ts";

/**
 * netlab's own transformation tests (ipspace/netlab tests/topology, see SOURCES.md): for each case
 * in the native subset's reach, the node ids, loopbacks, router ids, management addresses and MACs,
 * link prefixes, interface addresses and OSPF areas the native runtime assigns equal netlab's
 * expected output. Interface names are compared for the eth-named devices (frr, linux, none); the
 * cases' other devices (cumulus swp1, iosv GigabitEthernet0/1) only change names.
 */

interface ExpectedInterface {
  ifindex: number;
  ifname: string;
  ipv4?: string;
  ospf?: { area: string; network_type?: string; passive?: boolean };
}
interface ExpectedNode {
  id: number;
  device: string;
  loopback?: { ipv4?: string };
  router_id?: string;
  mgmt: { ipv4: string; mac: string };
  interfaces?: ExpectedInterface[];
  ospf?: { area: string; router_id?: string };
}
interface Expected {
  nodes: Record<string, ExpectedNode>;
  links?: { linkindex: number; type: string; prefix: { ipv4: string } }[];
}

describe.each(["id", "nodes-strings", "groups-simple"])("netlab case %s", (name) => {
  const expected = parse(referenceFixture(`netlab/snapshot.${name}.expected.yml`)) as Expected;
  const lab = transformNetlab(readNetlabInput(parse(referenceFixture(`netlab/topology.${name}.input.yml`))), "input");
  const eth = (device: string) => ["frr", "linux", "none"].includes(device);

  test("node ids, loopbacks, router ids and management addresses equal netlab's", () => {
    const ours = Object.fromEntries(
      lab.nodes.map((
        node,
      ) => [node.name, {
        id: node.id,
        loopback: node.loopback?.ipv4,
        router_id: node.router_id ?? undefined,
        mgmt: { ipv4: node.mgmt.ipv4, mac: node.mgmt.mac },
      }]),
    );
    const theirs = Object.fromEntries(
      Object.entries(expected.nodes).map((
        [node, data],
      ) => [node, {
        id: data.id,
        loopback: data.loopback?.ipv4,
        router_id: data.router_id ?? data.ospf?.router_id,
        mgmt: { ipv4: data.mgmt.ipv4, mac: data.mgmt.mac },
      }]),
    );
    expect(ours).toEqual(theirs);
  });

  test("link types and prefixes, interface indexes, addresses, names and OSPF settings equal netlab's", () => {
    expect(lab.links.map((link) => ({ linkindex: link.linkindex, type: link.type, prefix: link.prefix })) as unknown[]).toEqual(
      (expected.links ?? []).map(({ linkindex, type, prefix }) => ({ linkindex, type, prefix })),
    );
    for (const node of lab.nodes) {
      const theirs = expected.nodes[node.name]!;
      expect(
        [
          node.name,
          node.interfaces.map((intf) => ({
            ifindex: intf.ifindex,
            ipv4: intf.ipv4,
            ospf: intf.ospf,
            ...(eth(node.device) ? { ifname: intf.ifname } : {}),
          })),
        ] as unknown[],
      ).toEqual([
        node.name,
        (theirs.interfaces ?? []).map((intf) => ({
          ifindex: intf.ifindex,
          ipv4: intf.ipv4,
          ospf: intf.ospf,
          ...(eth(theirs.device) ? { ifname: intf.ifname } : {}),
        })),
      ]);
      expect([node.name, node.ospf?.area]).toEqual([node.name, theirs.ospf?.area]);
    }
  });
});
