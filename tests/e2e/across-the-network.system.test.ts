import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AGENT_POLL_HOLD_S, AGENT_RETRY_MAX_S, POLL_SILENCE_MARGIN_S } from "../../src/protocol/poll-timing.ts";
import { runChecked } from "../../src/hosts/command-runner.ts";
import { LabRegistry } from "../../src/hosts/native/lab-registry.ts";
import { destroyNativeLabsOf } from "../support/agent-labs.ts";
import { eventually } from "../support/wait-for.ts";
import { NamespaceNetwork } from "../support/namespace-network.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { type LabbrokerProcess, listenArgs, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { readLines } from "../support/stdout-lines.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

/**
 * Broker, proxy and agents on separate machines of a LAN (network namespaces joined by a bridge,
 * addresses only inside them), as deployed: liveness over held polls, a name clash, a proxy with
 * a path prefix answering 502, a dead link, and an agent restarted after its lab namespaces vanished.
 */
const TOKEN = "lbe_network-e2e-enrollment-token";
const OFFLINE_AFTER_S = 10;
const LINE3 = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
const network = new NamespaceNetwork();
const root = mkdtempSync(join(tmpdir(), "labbroker-network-"));
const workDirs: string[] = [];
const proxies: ReturnType<typeof Bun.spawn>[] = [];

beforeAll(async () => {
  if (!isRoot) return;
  for (const name of ["broker", "east", "west"]) await network.addNode(name);
});

afterAll(async () => {
  for (const proxy of proxies) proxy.kill("SIGKILL");
  await stopAllProcesses();
  for (const workDir of workDirs) await destroyNativeLabsOf(workDir).catch(() => undefined);
  await network.destroy();
  rmSync(root, { recursive: true, force: true });
});

async function startBroker(): Promise<{ process: LabbrokerProcess; url: string; port: number }> {
  const db = join(root, `broker-${workDirs.length}-${Date.now()}.db`);
  const process = startLabbroker([
    "broker",
    ...listenArgs(db, { host: "0.0.0.0" }),
    "--enroll-token",
    TOKEN,
    "--agent-offline-after",
    String(OFFLINE_AFTER_S),
    // Successful polls are logged at debug; the test counts the held ones.
    "--log-level",
    "debug",
  ], {
    wrapper: network.on("broker"),
  });
  const listening = await process.waitForLog((line) => line.msg === "broker listening");
  const port = Number(new URL(String(listening.url)).port);
  // Bound to all addresses: the URL printed for other hosts is this machine's LAN address.
  expect(listening.publicUrl).toBe(`http://${network.node("broker").address}:${port}`);
  return { process, url: String(listening.publicUrl), port };
}

function startAgent(
  on: string,
  brokerUrl: string,
  name: string,
  workDir = join(root, `agent-${name}-${workDirs.length}`),
  withToken = true,
): LabbrokerProcess {
  if (!workDirs.includes(workDir)) workDirs.push(workDir);
  return startLabbroker(["agent", "--broker", brokerUrl, "--name", name, "--work-dir", workDir, ...(withToken ? ["--token", TOKEN] : [])], {
    wrapper: network.on(on),
  });
}

const registered = (agent: LabbrokerProcess) =>
  agent.waitForLog((line) => line.msg === "agent registered" || line.msg === "using the stored agent registration");

/** The first log line from now on that matches. */
function nextLog(process: LabbrokerProcess, match: (line: Record<string, unknown>) => boolean, timeoutMs: number) {
  const from = process.logs.length;
  return process.waitForLog((line) => process.logs.indexOf(line) >= from && match(line), timeoutMs);
}

/** A reverse proxy under `/lb` on the broker's machine, its requests printed as `STATUS METHOD PATH`. */
async function startProxy(brokerPort: number) {
  const proc = Bun.spawn([
    ...network.on("broker"),
    process.execPath,
    join(import.meta.dir, "../support/prefix-proxy.ts"),
    "0",
    "/lb",
    `http://127.0.0.1:${brokerPort}`,
  ], { stdout: "pipe", stderr: "inherit" });
  proxies.push(proc);
  const lines: string[] = [];
  void readLines(proc.stdout, lines);
  const line = (pattern: RegExp) =>
    eventually(async () => lines.find((candidate) => pattern.test(candidate)), `proxy line ${pattern}`, 20_000);
  const port = Number((await line(/^listening \d+$/)).split(" ")[1]);
  return { proc, lines, line, url: `http://${network.node("broker").address}:${port}/lb` };
}

const heldPoll = (line: Record<string, unknown>) =>
  line.msg === "request" && /\/poll$/.test(String(line.path)) && Number(line.ms) >= (AGENT_POLL_HOLD_S - 1) * 1000;

describe.skipIf(!isRoot)(`broker and agents on separate machines${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test(
    "idle hosts stay online across held polls longer than the offline window; a second machine called vm is refused and told to pass --name",
    async () => {
      const broker = await startBroker();
      const east = startAgent("east", broker.url, "vm");
      await registered(east);

      const twin = startAgent("west", broker.url, "vm");
      expect(await twin.proc.exited).toBe(1);
      const refusal = twin.logs.find((line) => String(line.msg).includes("broker answered 409"));
      expect(String(refusal?.msg)).toContain(
        `Host name "vm" belongs to another agent installation that is online (connecting from ${network.node("east").address})`,
      );
      expect(String(refusal?.msg)).toContain("--name NAME");

      await registered(startAgent("west", broker.url, "vm-west"));
      // Two held polls per agent: each longer than the window would allow if liveness depended on the hold.
      await broker.process.waitForLog(() => broker.process.logs.filter(heldPoll).length >= 4, 40_000);
      expect(broker.process.logs.filter((line) => line.type === "host.offline")).toEqual([]);

      const hosts = await eventually(async () => {
        const { json } = await network.http("east", "GET", `${broker.url}/v1/hosts`);
        return json.items.every((host: { connected: boolean }) => host.connected) ? json.items : null;
      }, "both hosts to show connected");
      expect(hosts.map((host: Record<string, unknown>) => [host.name, host.state, host.connected, host.agent_address])).toEqual([
        ["vm", "online", true, network.node("east").address],
        ["vm-west", "online", true, network.node("west").address],
      ]);
      const eth0 = hosts[0].inventory.interfaces.find((entry: { name: string }) => entry.name === "eth0");
      expect(eth0.addresses).toEqual([`${network.node("east").address}/24`]);
    },
    90_000,
  );

  test(
    "through a proxy with a path prefix: 502s are retried and logged until it passes again; a dead link is noticed on both sides and the agent reconnects",
    async () => {
      const broker = await startBroker();
      const proxy = await startProxy(broker.port);
      const agent = startAgent("east", proxy.url, "edge");
      await registered(agent);
      await proxy.line(/^200 POST \/lb\/v1\/agents\/\S+\/poll$/);

      proxy.proc.kill("SIGUSR1");
      await proxy.line(/^mode 502$/);
      const late = startAgent("west", proxy.url, "late");
      await late.waitForLog((line) => line.msg === "cannot register with the broker; retrying" && line.attempt === 3, 20_000);
      await agent.waitForLog(
        (line) => line.msg === "cannot poll the broker; retrying" && line.attempt === 2 && String(line.error).includes("502"),
        (AGENT_POLL_HOLD_S + 10) * 1000,
      );
      expect([late.proc.exitCode, agent.proc.exitCode]).toEqual([null, null]);
      proxy.proc.kill("SIGUSR1");
      await late.waitForLog((line) => line.msg === "agent registered", 15_000);
      await agent.waitForLog((line) => line.msg === "reconnected to the broker", 15_000);
      await broker.process.waitForLog((line) => line.type === "host.online" && line.name === "edge", 15_000).catch(() => undefined);

      const offline = nextLog(
        broker.process,
        (line) => line.type === "host.offline" && line.name === "edge",
        (AGENT_POLL_HOLD_S + OFFLINE_AFTER_S + 10) * 1000,
      );
      const noticed = nextLog(
        agent,
        (line) => line.msg === "cannot poll the broker; retrying" && String(line.error).includes("no answer"),
        (AGENT_POLL_HOLD_S + POLL_SILENCE_MARGIN_S + 5) * 1000,
      );
      const downAt = Date.now();
      await network.setLink("east", "down");
      await noticed;
      const agentNoticedMs = Date.now() - downAt;
      await offline;
      const brokerNoticedMs = Date.now() - downAt;
      expect(agentNoticedMs).toBeLessThan((AGENT_POLL_HOLD_S + POLL_SILENCE_MARGIN_S + 2) * 1000);
      expect(brokerNoticedMs).toBeLessThan((AGENT_POLL_HOLD_S + OFFLINE_AFTER_S + 3) * 1000);

      const reconnected = nextLog(agent, (line) => line.msg === "reconnected to the broker", 30_000);
      const upAt = Date.now();
      await network.setLink("east", "up");
      await reconnected;
      const reconnectMs = Date.now() - upAt;
      // A retry already on its way waits for TCP to resend its SYN; otherwise the capped backoff bounds it.
      expect(reconnectMs).toBeLessThan((AGENT_RETRY_MAX_S + 10) * 1000);
      console.log(
        `dead link: agent noticed after ${agentNoticedMs} ms, broker after ${brokerNoticedMs} ms; reconnected ${reconnectMs} ms after the link came back`,
      );
    },
    150_000,
  );

  test("an agent restarted after its lab namespaces vanished reports the lab broken: it turns failed with the reason", async () => {
    const broker = await startBroker();
    const workDir = join(root, "agent-lab-host");
    const agent = startAgent("west", broker.url, "lab-host", workDir);
    await registered(agent);
    const api = (method: string, path: string, body?: unknown) => network.http("east", method, `${broker.url}${path}`, body);
    const session = (await api("POST", "/v1/sessions", { requirements: [{ host: "lab-host" }] })).json;
    expect(session.state).toBe("active");
    const created = await api("POST", "/v1/labs", {
      session_id: session.id,
      topology: uniquelyNamed(LINE3),
      topology_file: "line3.clab.yml",
    });
    expect(created.status).toBe(202);
    await eventually(async () => (await api("GET", `/v1/labs/${created.json.id}`)).json.state === "running", "the lab to run", 60_000);

    await agent.kill("SIGKILL");
    const [record] = new LabRegistry(join(workDir, "native-labs")).list();
    for (const namespace of record!.namespaces) await runChecked(["ip", "netns", "delete", namespace], { timeoutMs: 10_000 });
    await registered(startAgent("west", broker.url, "lab-host", workDir, false));

    const failed = await eventually(
      async () => {
        const lab = (await api("GET", `/v1/labs/${created.json.id}`)).json;
        return lab.state === "failed" ? lab : null;
      },
      "the lab to turn failed",
      30_000,
    );
    expect(failed.error).toContain(
      `instance ${record!.instanceName} is broken on host lab-host: namespaces ${record!.namespaces.join(", ")} are gone`,
    );
    await api("DELETE", `/v1/sessions/${session.id}`);
  }, 120_000);
});
