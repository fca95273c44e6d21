import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../../src/hosts/command-runner.ts";
import { type LabSpec, type OutputLine } from "../../../src/hosts/lab-runtime.ts";
import type { LabNode } from "../../../src/protocol/lab-node.ts";
import { TopologyError } from "../../../src/topology/topology-error.ts";
import { LabToolError } from "../../../src/hosts/lab-tool.ts";
import { NetlabRuntime } from "../../../src/hosts/netlab/netlab-runtime.ts";
import { nodeState } from "../../../src/hosts/netlab/netlab-status.ts";
import { FAKES, ToolSandbox } from "./tool-sandbox.ts";

const ROUTERS = {
  text: "name: lab1\nprovider: clab\ndefaults.device: frr\nnodes:\n  r1:\n  r2:\n  h1: { device: linux }\nlinks: [ r1-r2, r1-h1 ]\n",
};
const MULTILAB = { text: "provider: clab\ndefaults.device: frr\nnodes: [ r1, r2 ]\nlinks: [ r1-r2 ]\n" };
const never = new AbortController().signal;

// Every test starts real (fake) tool processes; a loaded CI machine needs more than the default 5 s.
setDefaultTimeout(30_000);

let sandbox: ToolSandbox;
beforeEach(() => {
  sandbox = new ToolSandbox();
});
afterEach(() => sandbox.remove());

const byName = (nodes: LabNode[]) => Object.fromEntries(nodes.map((node) => [node.name, node]));

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error("the call succeeded");
  return error;
}

async function dockerContainers(): Promise<Record<string, unknown[]>> {
  const result = await runCommand(["containerlab", "inspect", "--all", "--format", "json"], {
    timeoutMs: 20_000,
    env: sandbox.environment,
  });
  return JSON.parse(result.stdout) as Record<string, unknown[]>;
}

describe("NetlabRuntime", () => {
  test("netlab up → node data with credentials as netlab reports them → netlab down --cleanup", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("lab1-1700000000", ROUTERS);
    const lines: OutputLine[] = [];
    const nodes = byName(await runtime.deploy(spec, (line) => lines.push(line), never));

    expect(lines[0]).toEqual({ stream: "info", text: "$ netlab up topology.yml" });
    expect(lines).toContainEqual({ stream: "stdout", text: "provider clab: executing containerlab deploy --reconfigure -t clab.yml" });
    expect(lines.some((line) => line.stream === "stderr" && line.text.endsWith("INFO Creating container name=r1"))).toBe(true);
    expect(Object.keys(nodes).sort()).toEqual(["h1", "r1", "r2"]);
    const { r1, h1 } = nodes;
    expect([r1!.kind, r1!.state, r1!.mgmtIpv4, r1!.mgmtIpv6]).toEqual(["frr", "running", "192.168.121.101", null]);
    expect(r1!.raw).toMatchObject({
      name: "r1",
      device: "frr",
      id: 1,
      hostname: "clab-lab1-r1",
      box: "quay.io/frrouting/frr:10.5.3",
      mgmt: { ifname: "eth0", ipv4: "192.168.121.101", mac: "ca:fe:00:01:00:00" },
      ansible_host: "clab-lab1-r1",
      ansible_connection: "docker",
      ansible_user: "root",
      ansible_network_os: "frr",
    });
    expect(r1!.raw).not.toHaveProperty("ansible_ssh_pass");
    expect([h1!.kind, h1!.mgmtIpv4, h1!.raw.role, h1!.raw.ansible_network_os]).toEqual(["linux", "192.168.121.103", "host", "linux"]);
    expect(runtime.nodeExecPrefix(spec, "r2")).toEqual(["ip", "netns", "exec", "clab-lab1-r2"]);

    await runtime.destroy(spec, () => {});
    expect(readdirSync(spec.workDir)).toEqual(["topology.yml"]);
    expect(await dockerContainers()).toEqual({});
    expect((await rejection(runtime.inspect(spec))).message).toContain("netlab says: No netlab-managed labs");
    await runtime.destroy(spec, () => {});
  });

  test("two labs with multilab ids 1 and 2 run side by side with their own names and subnets", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    const first = sandbox.labSpec("ml-a", MULTILAB, { multilabId: 1 });
    const second = sandbox.labSpec("ml-b", MULTILAB, { multilabId: 2 });
    const [one, two] = (await Promise.all([runtime.deploy(first, () => {}, never), runtime.deploy(second, () => {}, never)])).map(byName);
    expect([one!.r1!.raw.hostname, one!.r1!.mgmtIpv4, two!.r1!.raw.hostname, two!.r1!.mgmtIpv4]).toEqual([
      "clab-ml-1-r1",
      "192.168.1.101",
      "clab-ml-2-r1",
      "192.168.2.101",
    ]);
    expect(runtime.nodeExecPrefix(second, "r2")).toEqual(["ip", "netns", "exec", "clab-ml-2-r2"]);
    expect(Object.keys(await dockerContainers()).sort()).toEqual(["ml-1", "ml-2"]);

    const taken = sandbox.labSpec("ml-c", MULTILAB, { multilabId: 1 });
    expect((await rejection(runtime.deploy(taken, () => {}, never))).message).toContain(
      'Fatal error in netlab: aborting "netlab up" request',
    );
    const outOfRange = sandbox.labSpec("ml-d", MULTILAB, { multilabId: 201 });
    expect((await rejection(runtime.deploy(outOfRange, () => {}, never))).message).toContain(
      "attribute defaults.multilab.id must be an integer between 1 and 200",
    );

    await runtime.destroy(first, () => {});
    expect((await rejection(runtime.inspect(first))).message).toContain("netlab says: There's no running lab in the current directory.");
    expect((await runtime.inspect(second)).map((node) => node.state)).toEqual(["running", "running"]);
  });

  test("a missing image fails netlab up; the half-started lab is visible to reviving and destroy clears it", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("eos-1", {
      text: "name: eos1\nprovider: clab\nnodes:\n  s1: { device: eos }\n  r1: { device: frr }\nlinks: [ s1-r1 ]\n",
    });
    const failure = await rejection(runtime.deploy(spec, () => {}, never));
    expect(failure).toBeInstanceOf(LabToolError);
    expect(failure.message).toContain("netlab up of lab eos-1 failed");
    expect(failure.message).toContain("pull access denied for ceos, repository does not exist");
    expect(failure.message).toContain("Fatal error in netlab up: containerlab deploy --reconfigure -t clab.yml failed, aborting...");
    expect((await rejection(runtime.inspect(spec))).message).toContain("netlab says: Lab is not started, cannot display node/tool status");
    expect(await new NetlabRuntime(sandbox.settings()).listRunning()).toEqual([{ instanceName: "eos-1", labId: "lab-eos-1" }]);

    sandbox.setDockerImages(["ceos:4.34.1F", "quay.io/frrouting/frr:10.5.3"]);
    const s1 = byName(await runtime.deploy(spec, () => {}, never)).s1!;
    expect(s1.raw).toMatchObject({
      ansible_host: "192.168.121.101",
      ansible_connection: "network_cli",
      ansible_user: "admin",
      ansible_ssh_pass: "admin",
      ansible_network_os: "eos",
    });
    await runtime.destroy(spec, () => {});
    expect(await runtime.listRunning()).toEqual([]);
  });

  test("after a restart, listRunning reports our labs only; no status file at all is an empty list", async () => {
    expect(await new NetlabRuntime(sandbox.settings()).listRunning()).toEqual([]);
    const runtime = new NetlabRuntime(sandbox.settings());
    await runtime.deploy(sandbox.labSpec("ours-1", MULTILAB, { multilabId: 5, labId: "lab-five" }), () => {}, never);
    const manual = join(sandbox.labsRoot, "by-hand");
    mkdirSync(manual);
    writeFileSync(join(manual, "topology.yml"), MULTILAB.text);
    const byHand = await runCommand(["netlab", "up", "--plugin", "multilab", "-s", "defaults.multilab.id=6"], {
      cwd: manual,
      timeoutMs: 20_000,
      env: sandbox.environment,
    });
    expect(byHand.code).toBe(0);

    expect(await new NetlabRuntime(sandbox.settings()).listRunning()).toEqual([{ instanceName: "ours-1", labId: "lab-five" }]);
  });

  test("a provider probe failure makes netlab down exit 0 without stopping anything: reported as a failure", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("probe-1", ROUTERS);
    await runtime.deploy(spec, () => {}, never);

    // containerlab uninstalled: only netlab (and its interpreter) remain on PATH.
    const netlabOnly = join(sandbox.root, "netlab-only");
    mkdirSync(netlabOnly);
    writeFileSync(join(netlabOnly, "netlab"), `#!/bin/sh\nexec '${join(FAKES, "netlab")}' "$@"\n`);
    chmodSync(join(netlabOnly, "netlab"), 0o755);
    const withoutContainerlab = new NetlabRuntime(
      sandbox.settings({ environment: { ...sandbox.environment, PATH: `${netlabOnly}:${sandbox.interpreterDir}:/usr/bin:/bin` } }),
    );
    const failure = await rejection(withoutContainerlab.destroy(spec, () => {}));
    expect(failure.message).toContain("netlab exited 0 but the lab is still in place (netlab.lock remains");
    expect(failure.message).toContain("Fatal error in netlab: Containerlab is not installed");
    expect(Object.keys(await dockerContainers())).toEqual(["lab1"]);

    await runtime.destroy(spec, () => {});
    expect(await dockerContainers()).toEqual({});
  });

  test("a node whose container is not running makes netlab status crash: the node's state is unknown, the lab still deploys", async () => {
    // The linux node's process ends at once; netlab gives linux nodes restart-policy 'no', so it stays exited.
    const runtime = new NetlabRuntime(
      sandbox.settings({ environment: { ...sandbox.environment, FAKE_DOCKER_EXITS: "python:3.13-alpine" } }),
    );
    const spec = sandbox.labSpec("exited-1", ROUTERS);
    const nodes = byName(await runtime.deploy(spec, () => {}, never));
    expect(Object.fromEntries(Object.entries(nodes).map(([name, node]) => [name, [node.state, node.mgmtIpv4]]))).toEqual({
      h1: ["unknown", "192.168.121.103"],
      r1: ["unknown", "192.168.121.101"],
      r2: ["unknown", "192.168.121.102"],
    });
    await runtime.destroy(spec, () => {});
    expect(await dockerContainers()).toEqual({});
  });

  test("a status record left by a failed provider probe (no status, no name) does not stop listRunning", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    await runtime.deploy(sandbox.labSpec("ours-2", MULTILAB, { multilabId: 7, labId: "lab-seven" }), () => {}, never);
    // Someone else's `netlab up` on a host whose containerlab is missing: the probe fails after logging.
    const elsewhere = join(sandbox.root, "elsewhere");
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, "topology.yml"), MULTILAB.text);
    const netlabOnly = join(sandbox.root, "netlab-only");
    mkdirSync(netlabOnly);
    writeFileSync(join(netlabOnly, "netlab"), `#!/bin/sh\nexec '${join(FAKES, "netlab")}' "$@"\n`);
    chmodSync(join(netlabOnly, "netlab"), 0o755);
    const failed = await runCommand(["netlab", "up"], {
      cwd: elsewhere,
      timeoutMs: 20_000,
      env: { ...sandbox.environment, PATH: `${netlabOnly}:${sandbox.interpreterDir}:/usr/bin:/bin` },
    });
    expect([failed.code, failed.stderr]).toEqual([1, "Fatal error in netlab: Containerlab is not installed\n"]);
    const all = JSON.parse(
      (await runCommand(["netlab", "status", "--all", "--format", "json"], { timeoutMs: 20_000, env: sandbox.environment })).stdout,
    );
    expect(Object.keys(all.default).sort()).toEqual(["dir", "log", "log_line", "providers", "timestamp"]);

    expect(await new NetlabRuntime(sandbox.settings()).listRunning()).toEqual([{ instanceName: "ours-2", labId: "lab-seven" }]);
  });

  test("a confirmation prompt of netlab down fails at once on the closed stdin instead of waiting", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    const first = sandbox.labSpec("first-1", ROUTERS);
    await runtime.deploy(first, () => {}, never);
    // Same instance id ("default") from another folder: up refuses after writing its snapshot,
    // and down there would ask whether to touch the lab running in the first folder.
    const second = sandbox.labSpec("second-1", ROUTERS);
    expect((await rejection(runtime.deploy(second, () => {}, never))).message).toContain('aborting "netlab up" request');
    const started = performance.now();
    const failure = await rejection(runtime.destroy(second, () => {}));
    expect(failure.message).toContain("EOFError: EOF when reading a line");
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await runtime.inspect(first)).every((node) => node.state === "running")).toBe(true);
  });

  test("CLAB_* variables of the agent do not reach the containerlab that netlab starts", async () => {
    const runtime = new NetlabRuntime(sandbox.settings({ environment: { ...sandbox.environment, CLAB_DEPLOY_NODE_FILTER: "r1" } }));
    const nodes = await runtime.deploy(sandbox.labSpec("filter-1", ROUTERS), () => {}, never);
    expect(nodes.map((node) => [node.name, node.state])).toEqual([
      ["h1", "running"],
      ["r1", "running"],
      ["r2", "running"],
    ]);
  });

  test("topology names that netlab generates or deletes are refused before netlab runs", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    for (const topologyFile of ["hosts.yml", "clab.yml", "config/lab.yml"]) {
      const spec: LabSpec = { ...sandbox.labSpec("names-1", ROUTERS), topologyFile };
      const error = await rejection(runtime.deploy(spec, () => {}, never));
      expect(error).toBeInstanceOf(TopologyError);
      expect(error.message).toBe(
        `topologyFile: ${topologyFile} collides with what netlab generates or deletes in the lab folder; upload the topology under another name`,
      );
    }
    expect(existsSync(join(sandbox.labsRoot, "names-1", "netlab.snapshot.pickle"))).toBe(false);
  });

  test("queries are bounded too: a hung Docker daemon makes inspect time out", async () => {
    const runtime = new NetlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("bound-1", ROUTERS);
    await runtime.deploy(spec, () => {}, never);
    const hung = new NetlabRuntime(
      sandbox.settings({ environment: { ...sandbox.environment, FAKE_DOCKER_HANG: "1" }, queryTimeoutMs: 1_000 }),
    );
    const error = await rejection(hung.inspect(spec));
    expect(error).toBeInstanceOf(LabToolError);
    expect((error as LabToolError).result.timedOut).toBe(true);
    expect(error.message).toStartWith("netlab status of lab bound-1 failed: netlab status --format json timed out after");
  });
});

test.each([
  ["Up 4 minutes", "running"],
  ["Up 2 hours (healthy)", "running"],
  ["Up 5 minutes (Paused)", "paused"],
  ["Exited (137) 3 seconds ago", "exited"],
  ["Created", "created"],
  ["Restarting (1) 2 seconds ago", "restarting"],
  ["Unknown", "unknown"],
  [undefined, "unknown"],
])("the node status %p netlab relays from docker is state %p", (status, state) => {
  expect(nodeState(status)).toBe(state);
});
