import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { FAKES, ToolSandbox } from "../hosts/tools/tool-sandbox.ts";
import { adminFetch, http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, processesWithEnvironment } from "../support/host-processes.ts";

const LINUX2 =
  'name: pair\ntopology:\n  nodes:\n    n1: { kind: linux, image: alpine:3 }\n    n2: { kind: linux, image: alpine:3 }\n  links:\n    - endpoints: ["n1:eth1", "n2:eth1"]\n';
const ROUTERS =
  "name: lab1\nprovider: clab\ndefaults.device: frr\nnodes:\n  r1:\n  r2:\n  h1: { device: linux }\nlinks: [ r1-r2, r1-h1 ]\n";
const MULTILAB = "provider: clab\ndefaults.device: frr\nnodes: [ r1, r2 ]\nlinks: [ r1-r2 ]\n";

// Every step starts real (fake) tool processes through broker and agent processes.
setDefaultTimeout(90_000);

let cluster: LabCluster | undefined;
let sandbox: ToolSandbox | undefined;
afterEach(async () => {
  await cluster?.stop();
  // Tool processes run in sessions of their own: a killed agent leaves a hung one behind.
  for (const { pid } of sandbox ? processesWithEnvironment("FAKE_DOCKER_STATE", sandbox.dockerState) : []) process.kill(pid, "SIGKILL");
  sandbox?.remove();
  cluster = sandbox = undefined;
});

/** A broker and one agent whose PATH starts with the contract fakes, with its own fake Docker state and HOME. */
async function toolCluster(options: { brokerArgs?: string[]; agentArgs?: string[]; agentEnv?: Record<string, string> } = {}) {
  sandbox = new ToolSandbox(options.agentEnv);
  cluster = new LabCluster();
  await cluster.startBroker(options.brokerArgs ?? []);
  await cluster.startAgent({ name: "tools", args: options.agentArgs ?? [], env: sandbox.environment });
  return { cluster, sandbox };
}

const lab = async (id: string) => (await http("GET", `${cluster!.url}/v1/labs/${id}`)).json;
const settled = (id: string, timeoutMs = 45_000) =>
  eventually(
    async () => {
      const current = await lab(id);
      return ["running", "failed", "inactive"].includes(current.state) ? current : null;
    },
    `lab ${id} to settle`,
    timeoutMs,
  );

async function deploy(sessionId: string, topology: string, topologyFile: string, extra: Record<string, unknown> = {}) {
  const created = await http("POST", `${cluster!.url}/v1/labs`, { session_id: sessionId, topology, topology_file: topologyFile, ...extra });
  expect(created.status).toBe(202);
  return created.json;
}

async function destroy(id: string) {
  expect((await http("DELETE", `${cluster!.url}/v1/labs/${id}`)).status).toBe(202);
  const gone = await eventually(async () => {
    const current = await lab(id);
    return current.state === "inactive" || current.state === "failed" ? current : null;
  }, `lab ${id} to be destroyed`);
  expect(gone.state).toBe("inactive");
}

/** What the fake Docker daemon holds, asked the way an operator would: `containerlab inspect --all`. */
async function containers(): Promise<Record<string, { name: string; state: string }[]>> {
  const result = await runCommand(["containerlab", "inspect", "--all", "--format", "json"], {
    timeoutMs: 20_000,
    env: { ...sandbox!.environment, FAKE_DOCKER_HANG: "" },
  });
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

async function netlabStatusAll(): Promise<Record<string, { dir: string; status: string }>> {
  const result = await runCommand(["netlab", "status", "--all", "--format", "json"], { timeoutMs: 20_000, env: sandbox!.environment });
  const reply = JSON.parse(result.stdout);
  return "warning" in reply ? {} : reply;
}

// containerlab deploy and destroy need root, and the fake refuses them as the real tool does.
describe.skipIf(!isRoot)(
  `containerlab and netlab through broker and agent processes (contract fakes on PATH)${
    isRoot ? "" : " (skipped: containerlab needs root)"
  }`,
  () => {
    test("the agent offers both tools; a containerlab topology deploys with containerlab, its nodes are the lab's devices, destroy removes every container", async () => {
      const { cluster } = await toolCluster();
      const [host] = (await http("GET", `${cluster.url}/v1/hosts`)).json.items;
      const offered = Object.fromEntries(
        host.runtimes.map((runtime: { name: string; version: string }) => [runtime.name, runtime.version]),
      );
      expect(offered).toMatchObject({ containerlab: "0.79.0", netlab: "26.03" });

      const session = await cluster.session("tools");
      const created = await deploy(session.id, LINUX2, "pair.clab.yml");
      expect(created.runtime).toBe("containerlab");
      const running = await settled(created.id);
      expect(running).toMatchObject({ state: "running", error: null });
      const devices = Object.fromEntries(
        running.devices.map((device: { name: string; raw: Record<string, unknown> }) => [device.name, device.raw]),
      );
      expect(Object.keys(devices).sort()).toEqual(["n1", "n2"]);
      expect(devices.n1).toMatchObject({
        lab_name: running.instance_name,
        name: `clab-${running.instance_name}-n1`,
        kind: "linux",
        image: "alpine:3",
        state: "running",
      });
      expect(String(devices.n1!.ansible_host)).toMatch(/^172\.20\.20\.\d+$/);
      expect(Object.keys(await containers())).toEqual([running.instance_name]);
      const logs = await adminFetch(`${cluster.url}/v1/labs/${running.id}/logs`).then((response) => response.text());
      expect(logs).toContain(`$ containerlab deploy -t`);
      expect(logs).toContain("event: end");
      // Node commands go through the netns containerlab links for each container; the fake daemon has none to offer.
      const job = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, { lab_id: running.id, node: "n1", argv: ["true"] });
      expect(job.json).toMatchObject({ state: "finished", passed: false });
      expect(job.json.error).toContain(`Cannot find network namespace "clab-${running.instance_name}-n1"`);

      await destroy(running.id);
      expect(await containers()).toEqual({});
    });

    test("a netlab topology deploys with netlab: devices carry netlab's node data and credentials; destroy is netlab down --cleanup", async () => {
      const { cluster } = await toolCluster();
      const session = await cluster.session("tools");
      const created = await deploy(session.id, ROUTERS, "routers.yml");
      expect(created).toMatchObject({ runtime: "netlab", multilab_id: null });
      const running = await settled(created.id);
      expect(running).toMatchObject({ state: "running", error: null });
      const devices = Object.fromEntries(
        running.devices.map((device: { name: string; raw: Record<string, unknown> }) => [device.name, device.raw]),
      );
      expect(Object.keys(devices).sort()).toEqual(["h1", "r1", "r2"]);
      expect(devices.r1).toMatchObject({
        device: "frr",
        hostname: "clab-lab1-r1",
        mgmt: { ipv4: "192.168.121.101" },
        ansible_host: "clab-lab1-r1",
        ansible_connection: "docker",
        ansible_user: "root",
      });
      const nodes = Object.fromEntries(running.nodes.map((node: { name: string; state: string; kind: string }) => [node.name, node]));
      expect(nodes.h1).toMatchObject({ kind: "linux", state: "running", mgmtIpv4: "192.168.121.103" });
      const registry = Object.values(await netlabStatusAll());
      expect(registry).toHaveLength(1);
      expect(registry[0]!.dir).toEndWith(`/labs/${running.instance_name}`);
      expect(Object.keys(await containers())).toEqual(["lab1"]);

      await destroy(running.id);
      expect(await containers()).toEqual({});
      expect(await netlabStatusAll()).toEqual({});
    });

    test("two netlab labs at once on a host with capacity 2 get their own multilab ids, names and management subnets", async () => {
      const { cluster } = await toolCluster({ agentArgs: ["--capacity", "2"] });
      const sessions = [await cluster.session("tools"), await cluster.session("tools")];
      const created = await Promise.all(sessions.map((session) => deploy(session.id, MULTILAB, "multi.yml")));
      const running = await Promise.all(created.map((entry: { id: string }) => settled(entry.id)));
      expect(running.map((entry) => entry.state)).toEqual(["running", "running"]);
      const ids = running.map((entry) => entry.multilab_id).sort();
      expect(ids).toEqual([1, 2]);
      expect(new Set(running.map((entry) => entry.instance_name)).size).toBe(2);
      for (const entry of running) {
        const r1 = entry.devices.find((device: { name: string }) => device.name === "r1").raw;
        expect(r1).toMatchObject({ hostname: `clab-ml-${entry.multilab_id}-r1`, mgmt: { ipv4: `192.168.${entry.multilab_id}.101` } });
      }
      expect(Object.keys(await containers()).sort()).toEqual(["ml-1", "ml-2"]);

      await Promise.all(running.map((entry) => destroy(entry.id)));
      expect(await containers()).toEqual({});
      expect(await netlabStatusAll()).toEqual({});
    });

    test("a deploy the tool refuses (an image the Docker daemon lacks) ends failed with the tool's message", async () => {
      const { cluster } = await toolCluster();
      const session = await cluster.session("tools");
      const created = await deploy(session.id, LINUX2.replaceAll("alpine:3", "example.org/missing:1"), "pair.clab.yml");
      const failed = await settled(created.id);
      expect(failed.state).toBe("failed");
      expect(failed.error).toContain(`containerlab deploy of lab ${created.instance_name} failed`);
      expect(failed.error).toContain("pull access denied for example.org/missing");
      expect(failed.holders).toEqual([]);

      await destroy(failed.id);
      expect(await containers()).toEqual({});
    });

    test("a hung tool is killed at the deploy timeout: the lab ends failed saying so, and no tool process is left", async () => {
      const { cluster, sandbox } = await toolCluster({ brokerArgs: ["--deploy-timeout", "3"], agentEnv: { FAKE_DOCKER_HANG: "1" } });
      const deploying = () =>
        processesWithEnvironment("FAKE_DOCKER_STATE", sandbox.dockerState).filter((process) => process.argv.includes("deploy"));
      const session = await cluster.session("tools");
      const created = await deploy(session.id, LINUX2, "pair.clab.yml");
      await eventually(async () => deploying().length > 0, "the deploy to start the tool");
      const started = Date.now();
      const failed = await settled(created.id);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(failed.state).toBe("failed");
      expect(failed.error).toContain(`containerlab deploy of lab ${created.instance_name} failed`);
      expect(failed.error).toContain("timed out after 3");
      expect(deploying()).toEqual([]);
    });

    test("a deploy killed at the timeout halfway leaves a partial deployment that destroy removes", async () => {
      const { cluster } = await toolCluster({ brokerArgs: ["--deploy-timeout", "3"], agentEnv: { FAKE_DOCKER_HANG: "create" } });
      const session = await cluster.session("tools");
      const created = await deploy(session.id, ROUTERS, "routers.yml");
      const failed = await settled(created.id);
      expect(failed.state).toBe("failed");
      expect(failed.error).toContain(`netlab up of lab ${created.instance_name} failed`);
      expect(failed.error).toContain("timed out after 3");
      const left = await containers();
      expect(left.lab1?.map((container) => container.state)).toContain("created");

      await destroy(failed.id);
      expect(await containers()).toEqual({});
      expect(await netlabStatusAll()).toEqual({});
      expect(existsSync(join(cluster.agents.get("tools")!.workDir, "labs", created.instance_name))).toBe(false);
    });

    test("an agent killed with -9 and restarted revives its labs from the tools' listings: running labs stay running, a vanished one fails, an unowned instance is destroyed", async () => {
      const { cluster, sandbox } = await toolCluster({ agentArgs: ["--capacity", "3"] });
      const [clab, netlab, vanishing] = await Promise.all([0, 1, 2].map(() => cluster.session("tools")));
      const created = [
        await deploy(clab!.id, LINUX2, "pair.clab.yml"),
        await deploy(netlab!.id, MULTILAB, "multi.yml"),
        await deploy(vanishing!.id, LINUX2.replace("name: pair", "name: gone"), "gone.clab.yml"),
      ];
      const running = await Promise.all(created.map((entry: { id: string }) => settled(entry.id)));
      expect(running.map((entry) => entry.state)).toEqual(["running", "running", "running"]);

      const agent = cluster.agentProcess("tools");
      agent.proc.kill("SIGKILL");
      await agent.proc.exited;
      const tool = (argv: string[], cwd?: string) =>
        runCommand(argv, { timeoutMs: 20_000, env: sandbox.environment, ...(cwd ? { cwd } : {}) });
      // Behind the agent's back: one lab's containers vanish, and an instance no lab owns appears in a marked work dir of this agent.
      expect((await tool(["containerlab", "destroy", "--name", running[2].instance_name, "--cleanup"])).code).toBe(0);
      const orphanDir = join(cluster.agents.get("tools")!.workDir, "labs", "orphan-1700000000");
      mkdirSync(orphanDir, { recursive: true });
      // Deployed the way this agent deploys: from a topology copy named after the instance.
      writeFileSync(join(orphanDir, ".labbroker-orphan-1700000000.clab.yml"), LINUX2.replace("name: pair", "name: orphan-1700000000"));
      writeFileSync(
        join(orphanDir, ".labbroker-lab.json"),
        JSON.stringify({ runtime: "containerlab", labId: "lab-of-a-lost-database", instanceName: "orphan-1700000000" }),
      );
      expect((await tool(["containerlab", "deploy", "-t", ".labbroker-orphan-1700000000.clab.yml", "--reconfigure"], orphanDir)).code).toBe(
        0,
      );
      expect(Object.keys(await containers())).toContain("orphan-1700000000");

      await cluster.startAgent({ name: "tools", args: ["--capacity", "3"], env: sandbox.environment });
      await eventually(async () => !("orphan-1700000000" in (await containers())), "the unowned instance to be destroyed");
      const failed = await settled(running[2].id);
      expect(failed).toMatchObject({ state: "failed", error: `instance ${running[2].instance_name} is no longer running on host tools` });
      for (const entry of running.slice(0, 2)) expect((await lab(entry.id)).state).toBe("running");
      expect(Object.keys(await containers()).sort()).toEqual([running[0].instance_name, `ml-${running[1].multilab_id}`].sort());
      // The folder goes after the destroy is verified, a moment after the containers.
      await eventually(async () => !existsSync(orphanDir), "the unowned instance's folder to be removed");

      await Promise.all(running.map((entry) => destroy(entry.id)));
      expect(await containers()).toEqual({});
    });

    test("Remote Lab POST /lab with a netlab topology answers with devices whose raw data is netlab's own: mgmt.ipv4 and the ansible_* variables", async () => {
      const { cluster, sandbox } = await toolCluster({ brokerArgs: ["--compat-requirement", "runtime=netlab"] });
      const sessionId = (await http("POST", `${cluster.url}/session`)).json.session_id;
      const form = new FormData();
      form.append("topology", new File([ROUTERS], "routers.yml"));
      const response = await adminFetch(`${cluster.url}/lab`, { method: "POST", headers: { "x-session-id": sessionId }, body: form });
      expect(response.status).toBe(200);
      const { reused, devices } = (await response.json()) as {
        reused: boolean;
        devices: { name: string; raw: Record<string, unknown> & { mgmt: { ipv4: string } } }[];
      };
      expect(reused).toBe(false);
      expect(devices.map((device) => device.name).sort()).toEqual(["h1", "r1", "r2"]);

      const instance = (await http("GET", `${cluster.url}/v1/labs?session_id=${sessionId}`)).json.items[0];
      expect(instance.runtime).toBe("netlab");
      const labDir = join(cluster.agents.get("tools")!.workDir, "labs", instance.instance_name);
      for (const device of devices) {
        const asked = await runCommand(["netlab", "inspect", "-q", "--node", device.name, "--format", "json"], {
          timeoutMs: 20_000,
          env: sandbox.environment,
          cwd: labDir,
        });
        const netlabSays = JSON.parse(asked.stdout);
        expect(netlabSays.mgmt.ipv4).toMatch(/^192\.168\.121\.\d+$/);
        for (const key of ["ansible_host", "ansible_user", "ansible_connection"]) expect(device.raw[key]).toBe(netlabSays[key]);
        expect(device.raw.mgmt.ipv4).toBe(netlabSays.mgmt.ipv4);
      }
      expect(devices.find((device) => device.name === "r1")!.raw).toMatchObject({
        ansible_host: "clab-lab1-r1",
        ansible_user: "root",
        ansible_connection: "docker",
      });
      const status = (await http("GET", `${cluster.url}/lab`, undefined, { "x-session-id": sessionId })).json;
      expect(status).toMatchObject({ running: true, topology: "routers.yml", netlab_status: "running" });

      expect((await http("DELETE", `${cluster.url}/session/${sessionId}`)).status).toBe(204);
      expect((await settled(instance.id)).state).toBe("inactive");
      expect(await containers()).toEqual({});
      expect(await netlabStatusAll()).toEqual({});
    });

    test("Remote Lab replacing an idle netlab lab with another topology: the old lab is down before the new one comes up", async () => {
      const { cluster } = await toolCluster({ brokerArgs: ["--compat-requirement", "runtime=netlab"] });
      const sessionId = (await http("POST", `${cluster.url}/session`)).json.session_id;
      const upload = async (topology: string, name: string) => {
        const form = new FormData();
        form.append("topology", new File([topology], name));
        return adminFetch(`${cluster.url}/lab`, { method: "POST", headers: { "x-session-id": sessionId }, body: form });
      };
      expect((await upload(ROUTERS, "routers.yml")).status).toBe(200);
      expect((await http("POST", `${cluster.url}/lab/release`, undefined, { "x-session-id": sessionId })).status).toBe(204);
      const replaced = await upload(MULTILAB.replace("nodes: [ r1, r2 ]", "nodes: [ s1, s2 ]").replace("r1-r2", "s1-s2"), "other.yml");
      expect([replaced.status, await replaced.text()]).toEqual([200, expect.stringContaining('"name":"s1"')]);
      const labs = (await http("GET", `${cluster.url}/v1/labs?session_id=${sessionId}`)).json.items;
      expect(labs.map((entry: { topology_file: string; state: string }) => [entry.topology_file, entry.state])).toEqual([[
        "other.yml",
        "running",
      ]]);
      const registry = Object.values(await netlabStatusAll());
      expect(registry).toHaveLength(1);
      expect(Object.keys(await containers())).toHaveLength(1);
    });

    // Issue 16, item 1: containerlab exits 0 when dockerd cannot remove a container (CL:core/destroy.go:392).
    test("a containerlab destroy that leaves containers ends the lab failed, naming them", async () => {
      const { cluster } = await toolCluster({ agentEnv: { FAKE_DOCKER_REMOVE: "fail" } });
      const session = await cluster.session("tools");
      const running = await settled((await deploy(session.id, LINUX2, "pair.clab.yml")).id);
      expect(running.state).toBe("running");
      expect((await http("DELETE", `${cluster.url}/v1/labs/${running.id}`)).status).toBe(202);
      const failed = await settled(running.id);
      expect(failed.state).toBe("failed");
      expect(failed.error).toContain(`containers of the lab remain: clab-${running.instance_name}-n1, clab-${running.instance_name}-n2`);
      expect(Object.keys(await containers())).toEqual([running.instance_name]);
    });

    // Issue 16, item 2: netlab status crashes when a node's container is not running (NL:netsim/cli/status.py:179-180).
    test("a netlab lab whose node exited at once still comes up, with node states unknown", async () => {
      const { cluster } = await toolCluster({ agentEnv: { FAKE_DOCKER_EXITS: "python:3.13-alpine" } });
      const session = await cluster.session("tools");
      const running = await settled((await deploy(session.id, ROUTERS, "routers.yml")).id);
      expect(running).toMatchObject({ state: "running", error: null });
      expect(running.nodes.map((node: { name: string; state: string }) => [node.name, node.state])).toEqual([
        ["h1", "unknown"],
        ["r1", "unknown"],
        ["r2", "unknown"],
      ]);
      expect((await containers()).lab1!.find((container) => container.name === "clab-lab1-h1")!.state).toBe("exited");
      await destroy(running.id);
      expect(await containers()).toEqual({});
    });

    // Issue 16, item 3: `containerlab inspect --name X` exits 1 for a lab without containers (CL:core/options_clab.go:252-254).
    test("a containerlab lab without containers (host nodes only) runs with no devices and is destroyed", async () => {
      const { cluster } = await toolCluster();
      const session = await cluster.session("tools");
      const running = await settled(
        (await deploy(session.id, "name: hostonly\ntopology:\n  nodes:\n    h: { kind: host }\n", "hostonly.clab.yml")).id,
      );
      expect(running).toMatchObject({ state: "running", error: null, devices: [] });
      await destroy(running.id);
    });

    // Issue 16, item 4: tool versions the drivers cannot work with are refused at inventory time.
    test("an agent whose containerlab is too old does not offer it and says why", async () => {
      const oldTool = mkdtempSync(join(tmpdir(), "labbroker-old-containerlab-"));
      try {
        writeFileSync(
          join(oldTool, "containerlab"),
          "#!/bin/sh\n[ \"$1\" = version ] && printf '    version: 0.67.1\\n' && exit 0\necho 'this containerlab is a stub' >&2\nexit 1\n",
        );
        chmodSync(join(oldTool, "containerlab"), 0o755);
        const { cluster } = await toolCluster({
          agentEnv: { PATH: `${oldTool}:${FAKES}:${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin` },
        });
        const [host] = (await http("GET", `${cluster.url}/v1/hosts`)).json.items;
        expect(host.runtimes.map((runtime: { name: string }) => runtime.name)).not.toContain("containerlab");
        expect(host.inventory.unsupported_runtimes).toContainEqual({
          name: "containerlab",
          version: "0.67.1",
          reason: "containerlab 0.67.1 is older than 0.74.3, the oldest version this agent supports",
        });
      } finally {
        rmSync(oldTool, { recursive: true, force: true });
      }
    });

    // Issue 16, item 5: a status record left by a failed netlab probe has no `status` (NL:netsim/cli/__init__.py:390-399).
    test("a netlab status record without status does not stop reviving: a vanished lab still ends failed", async () => {
      const { cluster, sandbox } = await toolCluster();
      const session = await cluster.session("tools");
      const running = await settled((await deploy(session.id, LINUX2, "pair.clab.yml")).id);
      const agent = cluster.agentProcess("tools");
      agent.proc.kill("SIGKILL");
      await agent.proc.exited;
      // Behind the agent's back: the lab's containers vanish, and someone's `netlab up` fails its probe (containerlab not on its PATH).
      const tool = (argv: string[], env: Record<string, string> = sandbox.environment, cwd = sandbox.root) =>
        runCommand(argv, { timeoutMs: 20_000, env, cwd });
      expect(
        (await tool([
          "containerlab",
          "destroy",
          "-t",
          join(cluster.agents.get("tools")!.workDir, "labs", running.instance_name, `.labbroker-${running.instance_name}.clab.yml`),
          "--cleanup",
        ])).code,
      ).toBe(0);
      const elsewhere = join(sandbox.root, "elsewhere");
      mkdirSync(elsewhere);
      writeFileSync(join(elsewhere, "topology.yml"), ROUTERS);
      expect(
        (await tool([join(FAKES, "netlab"), "up"], { ...sandbox.environment, PATH: `${sandbox.interpreterDir}:/usr/bin:/bin` }, elsewhere))
          .code,
      ).toBe(1);
      expect(Object.values(await netlabStatusAll()).map((record) => "status" in record)).toEqual([false]);

      await cluster.startAgent({ name: "tools", env: sandbox.environment });
      const failed = await eventually(async () => {
        const current = await lab(running.id);
        return current.state === "failed" ? current : null;
      }, "the vanished lab to fail");
      expect(failed.error).toBe(`instance ${running.instance_name} is no longer running on host tools`);
    });
  },
);
