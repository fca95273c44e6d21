import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { destroyNativeLabsOf } from "../support/agent-labs.ts";
import { compiledBinary } from "../support/compiled-binary.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { FRR_INSTALLED, NEEDS_FRR } from "../support/frr.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { brokerUrl, listenArgs, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

/** Runs the Python Remote Lab client on `topology`; its stdout, or an error with its stderr and last checks. */
async function runPythonClient(topology: string, env: Record<string, string>): Promise<string> {
  const client = Bun.spawn(["python3", CLIENT, topology], {
    env: { ...process.env, REMOTE_LAB_HEARTBEAT_SECONDS: "0.5", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [code, stdout, stderr] = await Promise.all([client.exited, new Response(client.stdout).text(), new Response(client.stderr).text()]);
  if (code !== 0) {
    throw new Error(`remote_lab_client.py exited ${code}\n${stderr}\n--- its checks so far:\n${stdout.split("\n").slice(-15).join("\n")}`);
  }
  return stdout;
}

/** The broker URL with a new user token in it, as Remote Lab users give credentials (requests sends them as HTTP Basic). */
async function urlWithUserToken(url: string, name: string): Promise<string> {
  const token = await http("POST", `${url}/v1/tokens`, { name, role: "user" });
  expect(token.status).toBe(201);
  const withCredentials = new URL(url);
  withCredentials.username = name;
  withCredentials.password = token.json.token;
  return withCredentials.toString().replace(/\/$/, "");
}

const CLIENT = join(import.meta.dir, "remote_lab_client.py");
const FIXTURE = join(import.meta.dir, "../fixtures/line3.clab.yml");
/** Short session timeouts, and a hold longer than them: the client's heartbeats must keep its sessions alive. */
const SESSION_TIMEOUT_S = 3;
const HOLD_S = 5;

const folder = mkdtempSync(join(tmpdir(), "labbroker-python-client-"));
const agentWorkDir = join(folder, "agent");
const TOPOLOGY = join(folder, "line3.clab.yml");
writeFileSync(TOPOLOGY, uniquelyNamed(readFileSync(FIXTURE, "utf8")));
const NETLAB_TOPOLOGY = join(folder, "topology.yml");
writeFileSync(
  NETLAB_TOPOLOGY,
  uniquelyNamed(`name: netlab-ospf\n${readFileSync(join(import.meta.dir, "../../examples/topologies/netlab-ospf/topology.yml"), "utf8")}`),
);
afterAll(async () => {
  await stopAllProcesses();
  await destroyNativeLabsOf(agentWorkDir);
  rmSync(folder, { recursive: true, force: true });
});

/** A Python 3 with `requests`, or why there is none. */
function pythonWithRequests(): { ok: true } | { ok: false; reason: string } {
  const probe = Bun.spawnSync(["python3", "-c", "import requests"], { stdout: "pipe", stderr: "pipe" });
  if (probe.exitCode === 0) return { ok: true };
  return {
    ok: false,
    reason:
      `python3 with the "requests" package is needed to prove the Remote Lab Python client works (Debian: apt-get install python3-requests); ` +
      `python3 -c "import requests" said: ${probe.stderr.toString().trim() || `exit ${probe.exitCode}`}`,
  };
}

describe.skipIf(!isRoot)(
  `the Remote Lab Python client against the compiled binary${
    isRoot ? "" : ` (${NEEDS_ROOT}: labbroker serve deploys with the native runtime)`
  }`,
  () => {
    test(
      "session queue, heartbeats, multipart lab upload with sub-folders, 422 forms, devices, holds per acquire, release, reuse, 409/423, destroy, end: every status and field as the client expects",
      async () => {
        const python = pythonWithRequests();
        if (!python.ok) throw new Error(python.reason);
        const binary = await compiledBinary();
        // From an empty folder, as users run it: the binary must not need the source tree.
        const serve = startLabbroker(
          [
            "serve",
            ...listenArgs(join(folder, "broker.db")),
            "--work-dir",
            agentWorkDir,
            "--active-timeout",
            String(SESSION_TIMEOUT_S),
            "--waiting-timeout",
            String(SESSION_TIMEOUT_S),
          ],
          { binary, cwd: folder },
        );
        const url = await brokerUrl(serve);
        await eventually(
          async () => (await http("GET", `${url}/v1/hosts`)).json?.items?.[0]?.state === "online",
          "the local agent to register",
        );

        const stdout = await runPythonClient(TOPOLOGY, {
          REMOTE_LAB_URL: await urlWithUserToken(url, "python-client"),
          REMOTE_LAB_HOLD_SECONDS: String(HOLD_S),
        });
        expect(stdout).toContain("all Remote Lab checks passed");
        expect(stdout).toContain(`after ${HOLD_S} s of heartbeats only, the sessions are still active and waiting`);
        // DELETE /lab answers before the host has finished tearing down; the lab then turns inactive.
        const labs = await eventually(async () => {
          const items = (await http("GET", `${url}/v1/labs?state=inactive`)).json.items;
          return items.length > 0 ? items : null;
        }, "the destroyed lab to turn inactive");
        expect(labs.map((lab: { state: string; files: { path: string }[] }) => [lab.state, lab.files.map((file) => file.path).sort()]))
          .toEqual([
            ["inactive", ["configs/README", "configs/a/frr.conf", "line3.clab.yml"]],
          ]);
      },
      120_000,
    );

    test.skipIf(!FRR_INSTALLED)(
      `the netlab OSPF example, built by the native runtime, is acquired like a netlab lab (else ${NEEDS_FRR})`,
      async () => {
        const python = pythonWithRequests();
        if (!python.ok) throw new Error(python.reason);
        const serve = startLabbroker([
          "serve",
          ...listenArgs(join(folder, "netlab-broker.db")),
          "--work-dir",
          agentWorkDir,
        ], { binary: await compiledBinary(), cwd: folder });
        const url = await brokerUrl(serve);
        await eventually(
          async () => (await http("GET", `${url}/v1/hosts`)).json?.items?.[0]?.state === "online",
          "the local agent to register",
        );
        const stdout = await runPythonClient(NETLAB_TOPOLOGY, {
          REMOTE_LAB_URL: await urlWithUserToken(url, "python-netlab-client"),
          REMOTE_LAB_NODES: "r1,r2,r3",
          REMOTE_LAB_NETWORK_OS: "frr",
        });
        expect(stdout).toContain("every device is ansible_network_os frr with an ansible_user, as netlab inspect says");
        expect(stdout).toContain("all Remote Lab checks passed");
      },
      120_000,
    );
  },
);
