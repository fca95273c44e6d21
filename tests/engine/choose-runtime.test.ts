import { describe, expect, test } from "bun:test";
import { chooseRuntime } from "../../src/engine/labs/choose-runtime.ts";
import { classifyTopology } from "../../src/engine/labs/classify-topology.ts";
import type { Host } from "../../src/engine/model.ts";
import type { RuntimeName } from "../../src/protocol/runtimes.ts";

const IN_SUBSET = "defaults.device: frr\nmodule: [ospf]\nnodes: [r1, r2]\nlinks: [r1-r2]\n";
const OUTSIDE = "defaults.device: eos\nmodule: [bgp]\nnodes: [r1, r2]\nlinks: [r1-r2]\n";

function host(...runtimes: RuntimeName[]): Host {
  return { name: "lab-1", runtimes: runtimes.map((name) => ({ name, version: null })) } as Partial<Host> as Host;
}

function netlab(text: string) {
  return classifyTopology({ topologyFile: "topology.yml", topology: new TextEncoder().encode(text), extraFiles: [] });
}

describe("runtime choice for netlab topologies", () => {
  test("netlab where the host has it, else the native runtime when the topology fits its subset", () => {
    expect(chooseRuntime(host("netlab", "native"), netlab(IN_SUBSET), null)).toBe("netlab");
    expect(chooseRuntime(host("native"), netlab(IN_SUBSET), null)).toBe("native");
    expect(chooseRuntime(host("netlab", "native"), netlab(IN_SUBSET), "native")).toBe("native");
    expect(chooseRuntime(host("netlab", "native"), netlab(OUTSIDE), null)).toBe("netlab");
  });

  test("outside the subset without netlab, or native asked for, is refused naming every unsupported key", () => {
    expect(() => chooseRuntime(host("native"), netlab(OUTSIDE), null)).toThrow(
      `Host "lab-1" has no netlab, and this netlab topology is outside the native runtime's netlab subset: module: bgp, defaults.device: eos`,
    );
    expect(() => chooseRuntime(host("netlab", "native"), netlab(OUTSIDE), "native")).toThrow(
      "Runtime native cannot deploy this netlab topology (outside the native runtime's netlab subset: module: bgp, defaults.device: eos); use netlab",
    );
    expect(() => chooseRuntime(host("containerlab"), netlab(IN_SUBSET), null)).toThrow(
      'Host "lab-1" does not offer runtime netlab or native',
    );
  });
});
