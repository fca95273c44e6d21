import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TopologyError } from "../../../src/topology/topology-error.ts";
import { detectTopologyKind, parseNetlabTopology } from "../../../src/topology/netlab-topology.ts";
import { parseYamlSafely } from "../../../src/topology/safe-yaml.ts";
import { FIXTURES } from "../../support/reference-fixtures.ts";

const fixture = (path: string) => readFileSync(join(FIXTURES, path), "utf8");

function topologyError(text: string): TopologyError {
  try {
    parseNetlabTopology(text);
  } catch (error) {
    if (error instanceof TopologyError) return error;
    throw error;
  }
  throw new Error("the topology was accepted");
}

describe("parseNetlabTopology", () => {
  test("reads dotted defaults, list-form nodes and the provider of the real test topologies", () => {
    expect(parseNetlabTopology(fixture("netlab/topology.clab-01-links.yml"))).toEqual({
      name: null,
      nodes: ["r1", "r2", "r3", "r4"],
      provider: "clab",
    });
    expect(parseNetlabTopology(fixture("netlab/topology.bridge-module-attr.input.yml"))).toEqual({
      name: null,
      nodes: ["r1", "r2", "br"],
      provider: "clab",
    });
    expect(parseNetlabTopology(fixture("netlab/topology.multilab.yml"))).toEqual({
      name: null,
      nodes: ["r1", "r2", "r3", "r4"],
      provider: "libvirt",
    });
  });

  test("takes the provider from defaults (dotted or nested) and the name when given", () => {
    expect(parseNetlabTopology("name: lab1\ndefaults.provider: clab\nnodes: { r1: }")).toEqual({
      name: "lab1",
      nodes: ["r1"],
      provider: "clab",
    });
    expect(parseNetlabTopology("defaults:\n  provider: clab\nnodes:\n  - name: r1\n    device: frr\n  - h1").provider).toBe("clab");
  });

  test.each([
    ["name: x", "nodes", "nodes: Required topology element 'nodes' is missing or empty"],
    ["nodes: {}", "nodes", "nodes: Required topology element 'nodes' is missing or empty"],
    ["nodes: [r1, r1]", "nodes[1]", "nodes[1]: node 'r1' is listed more than once"],
    ["nodes: [ { device: frr } ]", "nodes[0]", "nodes[0]: must be a node name or a mapping with a 'name'"],
    ["nodes: { r1: frr }", "nodes.r1", "nodes.r1: must be a mapping of node attributes (or empty)"],
    [
      "nodes: [ a-very-long-node-name ]",
      "nodes.a-very-long-node-name",
      "nodes.a-very-long-node-name: node name is longer than 16 characters",
    ],
    [
      "nodes: [ r1.core ]",
      "nodes.r1.core",
      "nodes.r1.core: node name must start with a letter or '_' and contain only letters, digits, '_' and '-'",
    ],
    ["name: [x]\nnodes: [r1]", "name", "name: must be a string"],
    ["provider: 3\nnodes: [r1]", "provider", "provider: must be a provider name such as clab or libvirt"],
    ["- r1", "topology", "topology: must be a YAML mapping of topology elements"],
  ])("refuses %p", (text, field, message) => {
    const error = topologyError(text);
    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });

  test("a node name of exactly 16 characters is fine", () => {
    expect(parseNetlabTopology("nodes: [ abcdefghijklmnop ]").nodes).toEqual(["abcdefghijklmnop"]);
  });
});

describe("detectTopologyKind", () => {
  test("recognises the containerlab and netlab fixtures", () => {
    for (const file of ["topo.01-linux-nodes.clab.yml", "topo.frr01.clab.yml", "topo.03-bridge-and-host.clab.yml"]) {
      expect(detectTopologyKind(parseYamlSafely(fixture(`containerlab/${file}`)))).toBe("containerlab");
    }
    for (const file of ["topology.clab-01-links.yml", "topology.multilab.yml", "topology.group-ansible-variables.input.yml"]) {
      expect(detectTopologyKind(parseYamlSafely(fixture(`netlab/${file}`)))).toBe("netlab");
    }
    expect(detectTopologyKind(parseYamlSafely(fixture("netlab/clab.yml.rendered-from-bridge-module-attr.yml")))).toBe("containerlab");
  });

  test.each([[null], ["nodes"], [{ name: "x" }], [{ topology: { nodes: {} } }], [{ name: "x", topology: { nodes: {} }, nodes: ["r1"] }]])(
    "%p is neither",
    (value) => {
      expect(detectTopologyKind(value)).toBeNull();
    },
  );
});
