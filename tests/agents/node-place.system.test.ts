import { expect, test } from "bun:test";
import type { AgentServices } from "../../src/agents/agent-services.ts";
import { deviceOperation } from "../../src/agents/executors/host-operation-work.ts";
import { nodePlace } from "../../src/agents/executors/node-place.ts";
import { systemClock } from "../../src/clock.ts";
import { HostHealthGate } from "../../src/hosts/health/host-health-gate.ts";
import { JobRegistry } from "../../src/hosts/jobs/job-registry.ts";
import type { LabRuntime } from "../../src/hosts/lab-runtime.ts";

/** A containerlab-like runtime whose node commands need a root prefix, as with `--tool-prefix "sudo -n"`. */
function servicesWithNodePrefix(prefix: string[]): AgentServices {
  const runtime = { name: "containerlab", nodeExecPrefix: (_spec, node) => [...prefix, `clab-lab1-${node}`] } as Partial<
    LabRuntime
  > as LabRuntime;
  return {
    runtimes: { containerlab: runtime },
    jobs: new JobRegistry(),
    health: new HostHealthGate("off", systemClock),
    fetchLabFiles: async () => [],
    serializeLabOperation: (operation) => operation(),
  };
}

const NODE = {
  lab: { instance_name: "lab1", runtime: "containerlab" as const, topology_file: "lab1.clab.yml", multilab_id: null },
  node: "r1",
  netns: null,
};

test("a node behind a root prefix is still its namespace: jobs keep the prefix, device operations act in the namespace", () => {
  const services = servicesWithNodePrefix(["sudo", "-n", "ip", "netns", "exec"]);
  expect(nodePlace(services, "/tmp/agent", NODE)).toEqual({ netns: "clab-lab1-r1", prefix: ["sudo", "-n"], inside: [] });
  expect(nodePlace(servicesWithNodePrefix(["ip", "netns", "exec"]), "/tmp/agent", NODE)).toEqual({
    netns: "clab-lab1-r1",
    prefix: [],
    inside: [],
  });
  expect(nodePlace(services, "/tmp/agent", { lab: null, node: null, netns: "lab-ns" })).toEqual({
    netns: "lab-ns",
    prefix: [],
    inside: [],
  });
});

test("a device operation for such a node never falls back to the host's own devices", async () => {
  const services = servicesWithNodePrefix(["sudo", "-n", "ip", "netns", "exec"]);
  const payload = { operation: "list" as const, ...NODE };
  const work = {
    id: "w1",
    kind: "device-op" as const,
    protocol_version: 1,
    payload,
    session_id: "s1",
    lab_id: null,
    job_id: null,
    attempt: 1,
  };
  const result = await deviceOperation({
    work,
    payload,
    services,
    workDir: "/tmp/agent",
    output: () => {},
    signal: new AbortController().signal,
    env: {},
    interrupted: false,
  });
  expect(result).toEqual({ refused: { reason: "not-found", message: 'Cannot find network namespace "clab-lab1-r1"' } });
});

test("an FRR node's wrapper (its vtysh first on PATH) runs inside the namespace, after ip netns exec", () => {
  const wrapper = ["sh", "-c", 'PATH="$0:$PATH" exec "$@"', "/labs/x/.frr-nl-abc-0-r1"];
  const services = servicesWithNodePrefix(["ip", "netns", "exec"]);
  services.runtimes.containerlab = {
    name: "native",
    nodeExecPrefix: (_spec, node) => ["ip", "netns", "exec", `clab-lab1-${node}`, ...wrapper],
  } as Partial<LabRuntime> as LabRuntime;
  expect(nodePlace(services, "/tmp/agent", NODE)).toEqual({ netns: "clab-lab1-r1", prefix: [], inside: wrapper });
});
