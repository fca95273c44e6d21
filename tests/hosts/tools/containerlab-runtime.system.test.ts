import { afterEach, beforeEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ContainerlabRuntime } from "../../../src/hosts/containerlab/containerlab-runtime.ts";
import { runCommand } from "../../../src/hosts/command-runner.ts";
import type { LabSpec, OutputLine } from "../../../src/hosts/lab-runtime.ts";
import { LabToolError } from "../../../src/hosts/lab-tool.ts";
import { ToolSandbox } from "./tool-sandbox.ts";

const FRR01 = { fixture: "containerlab/topo.frr01.clab.yml" };
const FRR01_NODES = ["PC1", "PC2", "PC3", "router1", "router2", "router3"];

// Every test starts real (fake) tool processes; a loaded CI machine needs more than the default 5 s.
setDefaultTimeout(30_000);

let sandbox: ToolSandbox;
beforeEach(() => {
  sandbox = new ToolSandbox();
});
afterEach(() => sandbox.remove());

const never = new AbortController().signal;

async function deployed(runtime: ContainerlabRuntime, spec: LabSpec, lines: OutputLine[] = []) {
  return runtime.deploy(spec, (line) => lines.push(line), never);
}

async function rejection(promise: Promise<unknown>): Promise<LabToolError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof LabToolError)) throw new Error(`expected a LabToolError, got ${String(error)}`);
  return error;
}

describe("ContainerlabRuntime", () => {
  test("deploys under the instance name, reports nodes as documented, destroys everything", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("frr01-1700000000", FRR01);
    const lines: OutputLine[] = [];
    const nodes = await deployed(runtime, spec, lines);

    expect(lines[0]).toEqual({
      stream: "info",
      text: `$ containerlab deploy -t ${join(spec.workDir, ".labbroker-frr01-1700000000.clab.yml")} --reconfigure`,
    });
    expect(lines).toContainEqual({
      stream: "stderr",
      text: expect.stringMatching(/^\d\d:\d\d:\d\d INFO Creating container name=router1$/),
    });
    expect(nodes.map((node) => node.name)).toEqual(FRR01_NODES);
    const router1 = nodes.find((node) => node.name === "router1")!;
    const { mgmtIpv4, mgmtIpv6 } = router1;
    expect([router1.kind, router1.state]).toEqual(["linux", "running"]);
    expect(mgmtIpv4).toMatch(/^172\.20\.20\.\d+$/);
    expect(mgmtIpv6).toMatch(/^3fff:172:20:20::[0-9a-f]+$/);
    expect(router1.raw).toMatchObject({
      lab_name: "frr01-1700000000",
      name: "clab-frr01-1700000000-router1",
      container_id: expect.stringMatching(/^[0-9a-f]{12}$/),
      image: "quay.io/frrouting/frr:10.5.1",
      group: "routers",
      ipv4_address: `${mgmtIpv4}/24`,
      ipv6_address: `${mgmtIpv6}/64`,
      ansible_host: mgmtIpv4,
      mgmt: { ipv4: mgmtIpv4, ipv6: mgmtIpv6 },
      owner: "labuser",
    });
    expect(new Set(nodes.map((node) => node.mgmtIpv4)).size).toBe(nodes.length);
    expect((await runtime.inspect(spec)).map((node) => [node.name, node.mgmtIpv4])).toEqual(
      nodes.map((node) => [node.name, node.mgmtIpv4]),
    );
    expect(existsSync(join(spec.workDir, "clab-frr01-1700000000", "topology-data.json"))).toBe(true);

    const destroyLines: OutputLine[] = [];
    await runtime.destroy(spec, (line) => destroyLines.push(line));
    expect(destroyLines.some((line) => line.text.includes("Removed container name=clab-frr01-1700000000-router1"))).toBe(true);
    expect(await runtime.inspect(spec)).toEqual([]);
    expect(existsSync(join(spec.workDir, "clab-frr01-1700000000"))).toBe(false);
    await runtime.destroy(spec, () => {});
  });

  test("two labs from one topology get their own containers and management addresses", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const [first, second] = await Promise.all([
      deployed(runtime, sandbox.labSpec("frr01-1", FRR01)),
      deployed(runtime, sandbox.labSpec("frr01-2", FRR01)),
    ]);
    expect(first.map((node) => node.raw.name)).toEqual(FRR01_NODES.map((node) => `clab-frr01-1-${node}`));
    expect(second.map((node) => node.raw.name)).toEqual(FRR01_NODES.map((node) => `clab-frr01-2-${node}`));
    const addresses = [...first, ...second].map((node) => node.mgmtIpv4);
    expect(new Set(addresses).size).toBe(12);
  });

  test("an image the Docker daemon cannot pull fails the deploy with containerlab's message", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const topology = "name: pull\ntopology:\n  nodes:\n    n1: { kind: linux, image: registry.example.net/lab/router:1.0 }\n";
    const spec = sandbox.labSpec("pull-1", { text: topology });
    const error = await rejection(deployed(runtime, spec));
    expect(error.message).toContain("containerlab deploy of lab pull-1 failed");
    expect(error.message).toContain("exited with code 1");
    expect(error.message).toContain("pull access denied for registry.example.net/lab/router, repository does not exist");

    sandbox.setDockerImages(["registry.example.net/lab/router:1.0"]);
    expect((await deployed(runtime, spec)).map((node) => node.state)).toEqual(["running"]);
  });

  test("a topology error comes back with the tool's own words", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const topology =
      "name: bad\ntopology:\n  nodes:\n    n1: { kind: linux, image: alpine:3 }\n  links:\n    - endpoints: [n1:eth1, n9:eth1]\n";
    const error = await rejection(deployed(runtime, sandbox.labSpec("bad-1", { text: topology })));
    expect(error.message).toEndWith("unable to find node n9");
  });

  test.each([
    ["1", []],
    ["create", ["created"]],
  ])("a deploy hung in the Docker daemon (FAKE_DOCKER_HANG=%s) is killed at timeoutMs and destroy cleans up", async (hang, leftStates) => {
    const hungRuntime = new ContainerlabRuntime(sandbox.settings({ environment: { ...sandbox.environment, FAKE_DOCKER_HANG: hang } }));
    const spec = sandbox.labSpec("hang-1", FRR01, { timeoutMs: 1_500 });
    const started = performance.now();
    const error = await rejection(deployed(hungRuntime, spec));
    expect(error.result.timedOut).toBe(true);
    expect(error.message).toContain("timed out after");
    expect(performance.now() - started).toBeLessThan(5_000);

    // The daemon answers again (dockerd restarted); a new agent process sees what was left.
    const runtime = new ContainerlabRuntime(sandbox.settings());
    expect((await runtime.inspect(spec)).map((node) => node.state)).toEqual(leftStates);
    await runtime.destroy(spec, () => {});
    expect(await runtime.inspect(spec)).toEqual([]);
    expect(existsSync(join(spec.workDir, "clab-hang-1"))).toBe(false);
  });

  test("after a restart, listRunning finds our labs and only ours", async () => {
    const before = new ContainerlabRuntime(sandbox.settings());
    await deployed(before, sandbox.labSpec("frr01-10", FRR01));
    await deployed(before, sandbox.labSpec("frr01-11", FRR01, { labId: "lab-eleven" }));
    const otherAgentRoot = join(sandbox.root, "other-agent");
    const someoneElses = new ContainerlabRuntime(sandbox.settings({ labsRoot: otherAgentRoot }));
    await deployed(someoneElses, sandbox.labSpec("frr01-12", FRR01, { workDir: join(otherAgentRoot, "frr01-12") }));

    const after = new ContainerlabRuntime(sandbox.settings());
    const running = await after.listRunning();
    expect(running.sort((a, b) => a.instanceName.localeCompare(b.instanceName))).toEqual([
      { instanceName: "frr01-10", labId: "lab-frr01-10" },
      { instanceName: "frr01-11", labId: "lab-eleven" },
    ]);
    await after.destroy(sandbox.labSpec("frr01-10", FRR01), () => {});
    expect((await after.listRunning()).map((lab) => lab.instanceName)).toEqual(["frr01-11"]);
  });

  test("destroy finds the lab by name when its work dir is already gone", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("frr01-40", FRR01);
    await deployed(runtime, spec);
    rmSync(spec.workDir, { recursive: true });
    await runtime.destroy(spec, () => {});
    const left = await runCommand(["containerlab", "inspect", "--all", "--format", "json"], {
      timeoutMs: 20_000,
      env: sandbox.environment,
    });
    expect(JSON.parse(left.stdout)).toEqual({});
  });

  test("a destroy of a lab already gone with its work dir succeeds: containerlab's 'not found' means nothing is left", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("frr01-41", FRR01);
    rmSync(spec.workDir, { recursive: true });
    const lines: OutputLine[] = [];
    await runtime.destroy(spec, (line) => lines.push(line));
    expect(lines).toContainEqual({ stream: "stderr", text: "lab 'frr01-41' not found - no running containers" });
  });

  test("a destroy that leaves containers fails naming them, and the lab stays ours for reviving", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("frr01-42", FRR01);
    await deployed(runtime, spec);
    // dockerd cannot kill the containers: containerlab logs it and still exits 0 (CL:core/destroy.go:392).
    const stuck = new ContainerlabRuntime(sandbox.settings({ environment: { ...sandbox.environment, FAKE_DOCKER_REMOVE: "fail" } }));
    const error = await rejection(stuck.destroy(spec, () => {}));
    expect(error.result.code).toBe(0);
    expect(error.message).toContain(
      `containerlab destroy of lab frr01-42 failed: containers of the lab remain: ${
        FRR01_NODES.map((node) => `clab-frr01-42-${node}`).join(", ")
      }`,
    );
    expect(await runtime.listRunning()).toEqual([{ instanceName: "frr01-42", labId: "lab-frr01-42" }]);
    await runtime.destroy(spec, () => {});
    expect(await runtime.inspect(spec)).toEqual([]);
  });

  test("a lab without containers (host nodes only) deploys, inspects and destroys as a lab with no container nodes", async () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const spec = sandbox.labSpec("hostonly-1", { text: "name: hostonly\ntopology:\n  nodes:\n    h: { kind: host }\n" });
    expect(await deployed(runtime, spec)).toEqual([]);
    expect(await runtime.inspect(spec)).toEqual([]);
    await runtime.destroy(spec, () => {});
  });

  test("CLAB_* variables of the agent never reach containerlab", async () => {
    const leaky = { CLAB_DEPLOY_NODE_FILTER: "router1", CLAB_LABDIR_BASE: join(sandbox.root, "elsewhere") };
    // The fake honours them like containerlab does, so a leak would show.
    const direct = sandbox.labSpec("direct-1", FRR01);
    const probe = await runCommand(["containerlab", "deploy", "-t", direct.topologyFile, "--name", "direct-1", "-f", "json"], {
      cwd: direct.workDir,
      timeoutMs: 20_000,
      env: { ...sandbox.environment, ...leaky },
    });
    expect(Object.values(JSON.parse(probe.stdout) as Record<string, unknown[]>)[0]).toHaveLength(1);

    const runtime = new ContainerlabRuntime(sandbox.settings({ environment: { ...sandbox.environment, ...leaky } }));
    const spec = sandbox.labSpec("frr01-20", FRR01);
    expect((await deployed(runtime, spec)).map((node) => node.name)).toEqual(FRR01_NODES);
    expect(existsSync(join(spec.workDir, "clab-frr01-20"))).toBe(true);
    expect(existsSync(join(sandbox.root, "elsewhere", "clab-frr01-20"))).toBe(false);
  });

  test("every call goes through the command prefix; node commands use the root prefix", async () => {
    const log = join(sandbox.root, "prefix.log");
    const prefix = sandbox.recordingPrefix(log);
    const runtime = new ContainerlabRuntime(sandbox.settings({ commandPrefix: [prefix] }));
    const spec = sandbox.labSpec("frr01-30", FRR01);
    await deployed(runtime, spec);
    await runtime.destroy(spec, () => {});
    const calls = readFileSync(log, "utf8").trim().split("\n");
    const copy = join(spec.workDir, ".labbroker-frr01-30.clab.yml");
    expect(calls).toEqual([
      `containerlab deploy -t ${copy} --reconfigure`,
      "containerlab inspect --all --format json",
      `containerlab destroy -t ${copy} --cleanup`,
      "containerlab inspect --all --format json",
    ]);
    expect(runtime.nodeExecPrefix(spec, "router1")).toEqual([prefix, "ip", "netns", "exec", "clab-frr01-30-router1"]);
    const rootless = new ContainerlabRuntime(sandbox.settings({ commandPrefix: [prefix], rootPrefix: ["sudo", "-n"] }));
    expect(rootless.nodeExecPrefix(spec, "PC1")).toEqual(["sudo", "-n", "ip", "netns", "exec", "clab-frr01-30-PC1"]);
  });

  test("node commands follow the topology's container prefix and refuse unknown nodes", () => {
    const runtime = new ContainerlabRuntime(sandbox.settings());
    const bare = sandbox.labSpec("bare-1", {
      text: "name: bare\nprefix: ''\ntopology:\n  nodes:\n    n1: { kind: linux, image: alpine:3 }\n",
    });
    expect(runtime.nodeExecPrefix(bare, "n1")).toEqual(["ip", "netns", "exec", "n1"]);
    const labNamed = sandbox.labSpec("named-1", {
      text: "name: named\nprefix: __lab-name\ntopology:\n  nodes:\n    n1: { kind: linux, image: alpine:3 }\n",
    });
    expect(runtime.nodeExecPrefix(labNamed, "n1")).toEqual(["ip", "netns", "exec", "named-1-n1"]);
    expect(() => runtime.nodeExecPrefix(bare, "n2")).toThrow('Cannot find node "n2" in lab bare-1 (nodes: n1)');
  });
});
