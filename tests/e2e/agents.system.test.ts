import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { brokerUrl, type LabbrokerProcess, listenArgs, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { FRR_INSTALLED } from "../support/frr.ts";

const TOKEN = "lbe_agents-e2e-enrollment-token";
const root = mkdtempSync(join(tmpdir(), "labbroker-agents-"));
afterEach(stopAllProcesses);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let folderCount = 0;
const folder = (name: string) => join(root, `${name}-${folderCount++}`);

function startBroker(db: string, port = 0, extra: string[] = []) {
  return startLabbroker(["broker", ...listenArgs(db, { port }), "--enroll-token", TOKEN, ...extra]);
}

function startAgent(url: string, name: string, workDir: string, extra: string[] = [], env: Record<string, string> = {}) {
  return startLabbroker(["agent", "--broker", url, "--name", name, "--work-dir", workDir, ...extra], { env });
}

const registered = (agent: LabbrokerProcess) =>
  agent.waitForLog((line) => line.msg === "agent registered" || line.msg === "using the stored agent registration");
const host = async (url: string, name: string) => (await http("GET", `${url}/v1/hosts/${name}`)).json;

describe("agents over real HTTP", () => {
  test("two labelled agents: sessions land on the host whose labels they require", async () => {
    const broker = startBroker(join(folder("db"), "b.db"));
    const url = await brokerUrl(broker);
    const east = startAgent(url, "east", folder("east"), ["--token", TOKEN, "--label", "site=east"]);
    const west = startAgent(url, "west", folder("west"), ["--token", TOKEN, "--label", "site=west", "--label", "nic=mlx5"]);
    await Promise.all([registered(east), registered(west)]);
    const wantsWest = await http("POST", `${url}/v1/sessions`, { requirements: [{ labels: { nic: "mlx5" } }] });
    const wantsEast = await http("POST", `${url}/v1/sessions`, { requirements: [{ labels: { site: "east" } }] });
    expect(wantsWest.json.hosts.m1.name).toBe("west");
    expect(wantsEast.json.hosts.m1.name).toBe("east");
    const hosts = (await http("GET", `${url}/v1/hosts`)).json.items;
    expect(hosts.map((item: { name: string; state: string }) => [item.name, item.state])).toEqual([
      ["east", "online"],
      ["west", "online"],
    ]);
  }, 30_000);

  test(
    "a killed agent's host goes offline within the window, its session ends host-lost, and the restarted agent re-attaches as the same host",
    async () => {
      const broker = startBroker(join(folder("db"), "b.db"), 0, [
        "--agent-offline-after",
        "10",
        "--offline-policy",
        "fail",
        "--offline-grace",
        "1",
      ]);
      const url = await brokerUrl(broker);
      const workDir = folder("lab-a");
      const agent = startAgent(url, "lab-a", workDir, ["--token", TOKEN]);
      await registered(agent);
      const before = await host(url, "lab-a");
      const session = (await http("POST", `${url}/v1/sessions`, {})).json;
      expect(session.state).toBe("active");

      agent.proc.kill("SIGKILL");
      await agent.proc.exited;
      const killedAt = Date.now();
      const keepAlive = setInterval(() => void http("POST", `${url}/v1/sessions/${session.id}/heartbeat`), 300);
      try {
        // The closed connection ends the held poll at once, so the window starts at the kill.
        await eventually(async () => (await host(url, "lab-a")).state === "offline", "the host to turn offline", 20_000);
        expect(Date.now() - killedAt).toBeLessThan(13_000);
        const ended = await eventually(async () => {
          const current = (await http("GET", `${url}/v1/sessions/${session.id}`)).json;
          return current.state === "ended" ? current : null;
        }, "the session to end");
        expect(ended.end_reason).toBe("host-lost");
      } finally {
        clearInterval(keepAlive);
      }

      const restarted = startAgent(url, "lab-a", workDir);
      await restarted.waitForLog((line) => line.msg === "using the stored agent registration");
      const after = await eventually(async () => {
        const current = await host(url, "lab-a");
        return current.state === "online" ? current : null;
      }, "the host to come back online");
      expect(after.id).toBe(before.id);
      expect((await http("GET", `${url}/v1/hosts`)).json.items).toHaveLength(1);
    },
    50_000,
  );

  test(
    "a broker killed with queued sessions and work in flight: agents re-attach by themselves, nothing lost, nothing run twice",
    async () => {
      const db = join(folder("db"), "b.db");
      const broker = startBroker(db);
      const url = await brokerUrl(broker);
      const port = new URL(url).port;
      const slowPath = `${join(import.meta.dir, "../fixtures/slow-tools")}:${process.env.PATH}`;
      const agent = startAgent(url, "lab-slow", folder("slow"), ["--token", TOKEN], { PATH: slowPath, SLOW_TOOL_SECONDS: "2" });
      await registered(agent);
      const sessions = [];
      for (let index = 0; index < 3; index++) sessions.push((await http("POST", `${url}/session`)).json.session_id);
      const work = (await http("POST", `${url}/v1/hosts/lab-slow/refresh-inventory`)).json;
      await agent.waitForLog((line) => line.msg === "work started" && line.workId === work.id);

      broker.proc.kill("SIGKILL");
      await broker.proc.exited;
      const restarted = startBroker(db, Number(port));
      await brokerUrl(restarted);

      const finished = await eventually(async () => {
        const current = (await http("GET", `${url}/v1/work/${work.id}`)).json;
        return current?.state === "done" ? current : null;
      }, "the in-flight work to finish after the restart");
      expect(finished.result.runtimes.map((runtime: { name: string }) => runtime.name)).toContain("containerlab");
      expect(agent.logs.filter((line) => line.msg === "work started" && line.workId === work.id)).toHaveLength(1);
      const health = (await http("GET", `${url}/debug/health`)).json;
      expect(health).toMatchObject({ sessions: 3, queue_length: 2 });
      const states = await Promise.all(sessions.map(async (id) => (await http("GET", `${url}/session/${id}`)).json.status));
      expect(states).toEqual(["active", "waiting", "waiting"]);
      await eventually(async () => (await host(url, "lab-slow")).state === "online", "the agent to poll the new broker");
    },
    40_000,
  );

  test("labbroker serve shows one online host for this machine", async () => {
    const serve = startLabbroker([
      "serve",
      "--port",
      "0",
      "--host",
      "127.0.0.1",
      "--db",
      `file:${join(folder("serve"), "b.db")}`,
      "--work-dir",
      folder("serve-agent"),
    ]);
    const url = await brokerUrl(serve);
    const hosts = await eventually(async () => {
      const items = (await http("GET", `${url}/v1/hosts`)).json.items;
      return items.length === 1 && items[0].state === "online" ? items : null;
    }, "the local agent to register");
    if (process.getuid?.() === 0) expect(hosts[0].runtimes.map((runtime: { name: string }) => runtime.name)).toContain("native");
    if (FRR_INSTALLED) expect(hosts[0].inventory.frr.version).toMatch(/^\d+\.\d+/);
    else expect(hosts[0].inventory.native_unavailable_reason).toBe("the agent does not run as root");
    expect(await serve.kill("SIGTERM")).toBe(0);
    expect(serve.logs.some((line) => line.msg === "agent stopped")).toBe(true);
  }, 30_000);
});
