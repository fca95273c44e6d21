import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { adminFetch, http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { parseSse } from "../support/sse.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const LINE3 = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));
let cluster: LabCluster;
afterEach(async () => {
  await cluster?.stop();
});

const run = (argv: string[]) => runCommand(argv, { timeoutMs: 10_000 });
const namespaces = async () => (await run(["ip", "netns", "list"])).stdout;
const lab = async (id: string) => (await http("GET", `${cluster.url}/v1/labs/${id}`)).json;
const settled = (id: string) =>
  eventually(
    async () => {
      const current = await lab(id);
      return ["running", "failed", "inactive"].includes(current.state) ? current : null;
    },
    `lab ${id} to settle`,
    30_000,
  );

function compatUpload(topology: string, name = "line3.clab.yml", extra: [string, string][] = [], reuse?: string) {
  const form = new FormData();
  form.append("topology", new File([topology], name));
  for (const [path, content] of extra) form.append("extra_files", new File([content], path));
  if (reuse !== undefined) form.append("reuse", reuse);
  return form;
}

describe.skipIf(!isRoot)(`native labs through broker and agent processes${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("a 3-node line deploys for real: a pings c through b, every management address answers, destroy leaves nothing", async () => {
    cluster = new LabCluster();
    await cluster.startBroker();
    await cluster.startAgent({ name: "lab-host" });
    const session = await cluster.session("lab-host");
    const created = await http("POST", `${cluster.url}/v1/labs`, {
      session_id: session.id,
      topology: LINE3,
      topology_file: "line3.clab.yml",
    });
    expect(created.status).toBe(202);
    const running = await settled(created.json.id);
    expect(running.state).toBe("running");
    expect(running.instance_name).toMatch(/^line3-[0-9a-f]{6}-\d+$/);
    const names = running.devices.map((device: { name: string }) => device.name).sort();
    expect(names).toEqual(["a", "b", "c"]);

    const namespaceOf = (node: string) => `clab-${running.instance_name}-${node}`;
    const ping = await run(["ip", "netns", "exec", namespaceOf("a"), "ping", "-c", "1", "-W", "2", "10.0.2.3"]);
    expect(ping.code).toBe(0);
    for (const device of running.devices) {
      const address = String(device.raw.ansible_host);
      expect((await run(["ping", "-c", "1", "-W", "2", address])).code).toBe(0);
    }
    const logs = await adminFetch(`${cluster.url}/v1/labs/${running.id}/logs`).then((response) => response.text());
    expect(logs).toContain("event: output");
    expect(logs).toContain("event: end");

    const deleted = await http("DELETE", `${cluster.url}/v1/labs/${running.id}`);
    expect(deleted.status).toBe(202);
    expect((await settled(running.id)).state).toBe("inactive");
    expect(await namespaces()).not.toContain(running.instance_name);
    expect((await run(["ip", "-j", "link"])).stdout).not.toContain(running.instance_name);
  }, 60_000);

  test(
    "Remote Lab flow: deploy, devices, release, reuse without redeploy, 423 while held, 409 without force, DELETE /session cleans up",
    async () => {
      cluster = new LabCluster();
      await cluster.startBroker();
      await cluster.startAgent({ name: "compat-host" });
      const sessionId = (await http("POST", `${cluster.url}/session`)).json.session_id;
      const header = { "x-session-id": sessionId };
      const post = (form: FormData) => adminFetch(`${cluster.url}/lab`, { method: "POST", headers: header, body: form });

      const first = await post(compatUpload(LINE3, "line3.clab.yml", [["configs/a/frr.conf", "hostname a\n"]]));
      expect(first.status).toBe(200);
      const deployed = await first.json();
      expect(deployed.reused).toBe(false);
      expect(deployed.devices.map((device: { name: string }) => device.name).sort()).toEqual(["a", "b", "c"]);
      expect(deployed.devices[0].raw).toHaveProperty("ansible_host");
      const status = (await http("GET", `${cluster.url}/lab`, undefined, header)).json;
      expect(status).toMatchObject({ running: true, topology: "line3.clab.yml", ref_count: 1, netlab_status: null });
      expect((await http("GET", `${cluster.url}/lab/devices`, undefined, header)).json).toHaveLength(3);
      const instance = (await http("GET", `${cluster.url}/v1/labs?session_id=${sessionId}`)).json.items[0];
      const agentWorkDir = cluster.agents.get("compat-host")!.workDir;
      expect(readFileSync(join(agentWorkDir, "labs", instance.instance_name, "configs/a/frr.conf"), "utf8")).toBe("hostname a\n");

      expect((await http("POST", `${cluster.url}/lab/release`, undefined, header)).status).toBe(204);
      expect((await http("GET", `${cluster.url}/lab`, undefined, header)).json.ref_count).toBe(0);
      const reused = await post(compatUpload(LINE3, "line3.clab.yml", [["configs/a/frr.conf", "hostname a\n"]]));
      expect(await reused.json()).toMatchObject({ reused: true });
      expect((await http("GET", `${cluster.url}/v1/labs?session_id=${sessionId}`)).json.items).toHaveLength(1);

      const other = await post(compatUpload(LINE3.replace("name: line3", "name: other3"), "other3.clab.yml"));
      expect(other.status).toBe(423);
      expect(await other.json()).toEqual({ detail: "Lab currently busy" });
      const refused = await http("DELETE", `${cluster.url}/lab?force=false`, undefined, header);
      expect(refused.status).toBe(409);
      expect(refused.json).toEqual({ detail: "Lab still in use" });

      expect((await http("DELETE", `${cluster.url}/session/${sessionId}`)).status).toBe(204);
      expect((await settled(instance.id)).state).toBe("inactive");
      expect(await namespaces()).not.toContain(instance.instance_name);
    },
    90_000,
  );

  test(
    "a node exec that exits non-zero fails the deploy: state failed, the error names node, command and exit code, the output is in the lab log, nothing is left",
    async () => {
      cluster = new LabCluster();
      await cluster.startBroker();
      await cluster.startAgent({ name: "exec-host" });
      const sessionId = (await http("POST", `${cluster.url}/session`)).json.session_id;
      const failing = uniquelyNamed(
        LINE3.replace(
          "        - ip addr add 10.0.2.2/24 dev eth2",
          "        - ip addr add 10.0.2.2/24 dev eth2\n        - sh -c 'echo no such peer >&2; exit 7'",
        ),
      );
      const deploy = await adminFetch(`${cluster.url}/lab`, {
        method: "POST",
        headers: { "x-session-id": sessionId },
        body: compatUpload(failing),
      });
      const command = `sh -c 'echo no such peer >&2; exit 7'`;
      const error = `exec command ${
        JSON.stringify(command)
      } on node b exited with code 7 (label the node labbroker.exec-failure: allow to let it fail)`;
      expect([deploy.status, await deploy.json()]).toEqual([500, { detail: `Lab deployment failed: ${error}` }]);

      const lab = (await http("GET", `${cluster.url}/v1/labs?session_id=${sessionId}`)).json.items[0];
      expect([lab.state, lab.error, lab.ref_count]).toEqual(["failed", error, 0]);
      const log = parseSse(await (await adminFetch(`${cluster.url}/v1/labs/${lab.id}/logs`)).text());
      const lines = log.filter((message) => message.event === "output").map((message) =>
        JSON.parse(message.data) as { node: string | null; stream: string; text: string }
      );
      expect(lines).toContainEqual(
        expect.objectContaining({
          node: "b",
          stream: "stderr",
          text: `Failed to execute command node=b command=${JSON.stringify(command)} rc=7`,
        }),
      );
      expect(lines).toContainEqual(expect.objectContaining({ node: "b", stream: "stderr", text: "no such peer" }));
      expect(log.at(-1)?.event).toBe("end");
      expect(await namespaces()).not.toContain(`clab-${lab.instance_name}-b`);
      expect((await run(["ip", "-j", "link"])).stdout).not.toContain(lab.instance_name);
      expect((await http("GET", `${cluster.url}/lab`, undefined, { "x-session-id": sessionId })).json).toMatchObject({
        running: false,
        ref_count: 0,
      });
    },
    60_000,
  );

  test("an agent killed during a deploy: the lab ends failed and nothing of it is left after the agent restarts", async () => {
    cluster = new LabCluster();
    await cluster.startBroker();
    await cluster.startAgent({ name: "crashy" });
    const session = await cluster.session("crashy");
    const slow = LINE3.replace(
      "        - ip route add 10.0.2.0/24 via 10.0.1.2",
      "        - ip route add 10.0.2.0/24 via 10.0.1.2\n        - sleep 20",
    );
    const created =
      (await http("POST", `${cluster.url}/v1/labs`, { session_id: session.id, topology: slow, topology_file: "line3.clab.yml" })).json;
    const agent = cluster.agentProcess("crashy");
    await agent.waitForLog((line) => line.msg === "work started" && line.kind === "deploy-lab");
    await eventually(async () => (await namespaces()).includes(created.instance_name), "the deploy to create namespaces");
    agent.proc.kill("SIGKILL");
    await agent.proc.exited;

    await cluster.startAgent({ name: "crashy" });
    const failed = await settled(created.id);
    expect(failed.state).toBe("failed");
    expect(failed.error).toContain("agent restarted while deploying");
    expect(await namespaces()).not.toContain(created.instance_name);
  }, 90_000);

  test("a broker killed with a running lab: after the restart the lab is still running and usable", async () => {
    cluster = new LabCluster();
    await cluster.startBroker();
    await cluster.startAgent({ name: "steady" });
    const session = await cluster.session("steady");
    const created =
      (await http("POST", `${cluster.url}/v1/labs`, { session_id: session.id, topology: LINE3, topology_file: "line3.clab.yml" })).json;
    expect((await settled(created.id)).state).toBe("running");

    cluster.broker.proc.kill("SIGKILL");
    await cluster.broker.proc.exited;
    await cluster.startBroker([], cluster.port);
    expect((await lab(created.id)).state).toBe("running");
    const job = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, {
      lab_id: created.id,
      node: "a",
      argv: ["ping", "-c", "1", "-W", "2", "10.0.2.3"],
    });
    expect(job.json).toMatchObject({ state: "finished", passed: true, exit_code: 0 });
    const logs = await adminFetch(`${cluster.url}/v1/labs/${created.id}/logs`).then((response) => response.text());
    expect(logs).toContain("event: end");
    expect(logs).not.toContain("bytes from");
  }, 90_000);
});
