import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { destroyNativeLabsOf } from "../support/agent-labs.ts";
import { compiledBinary } from "../support/compiled-binary.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { environmentWithoutLabbroker, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

/** The one test that uses a fixed port on purpose: it checks what `npm start` / `labbroker serve` do with no flags at all. */
const DEFAULT_PORT = 8000;
const URL = `http://127.0.0.1:${DEFAULT_PORT}`;
const TOPOLOGY = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));

const folder = mkdtempSync(join(tmpdir(), "labbroker-defaults-"));
afterAll(async () => {
  await stopAllProcesses();
  await destroyNativeLabsOf(join(folder, "data", "agent"));
  rmSync(folder, { recursive: true, force: true });
});

/** Fails with a message saying so when another process holds the default port, instead of a confusing broker error. */
async function expectPortFree(port: number): Promise<void> {
  const probe = createServer();
  const taken = await new Promise<string | null>((resolve) => {
    probe.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    probe.listen(port, "0.0.0.0", () => probe.close(() => resolve(null)));
  });
  if (taken) {
    throw new Error(
      `port ${port} is taken (${taken}): this test starts labbroker on its default port; stop whatever listens on ${port} and re-run`,
    );
  }
}

function compatUpload(topology: string): FormData {
  const form = new FormData();
  form.append("topology", new File([topology], "line3.clab.yml"));
  return form;
}

describe.skipIf(!isRoot)(`labbroker serve with no flags${isRoot ? "" : ` (${NEEDS_ROOT}: it deploys with the native runtime)`}`, () => {
  test("in an empty folder it keeps its state under ./data, listens on 8000 and deploys a native lab through POST /lab", async () => {
    await expectPortFree(DEFAULT_PORT);
    const serve = startLabbroker(["serve"], { binary: await compiledBinary(), cwd: folder, credentials: false });
    await serve.waitForLog((line) => line.msg === "broker listening").catch((error: Error) => {
      throw new Error(`labbroker serve did not start on its defaults: ${error.message}`);
    });
    // Zero setup, yet closed: the generated admin token is printed once and saved beside the database for local clients.
    const tokenFile = join(folder, "data", "admin-token");
    const token = readFileSync(tokenFile, "utf8").trim();
    await eventually(
      async () =>
        serve.stdout().includes(`A new admin token was generated. It is shown only now; the broker keeps only its hash.\n  ${token}\n`),
      "the admin token on stdout",
    );
    expect([
      statSync(tokenFile).mode & 0o777,
      statSync(join(folder, "data", "labbroker.db")).mode & 0o777,
      statSync(join(folder, "data")).mode & 0o777,
    ]).toEqual([0o600, 0o600, 0o700]);
    expect((await http("POST", `${URL}/session`, undefined, { authorization: "" })).status).toBe(401);
    const auth = { authorization: `Bearer ${token}` };
    await eventually(
      async () => (await http("GET", `${URL}/v1/hosts`, undefined, auth)).json?.items?.[0]?.state === "online",
      "the local agent to register",
    );
    // A client command run in the same folder finds the token file by itself.
    const hosts = Bun.spawn([await compiledBinary(), "hosts", "--json"], {
      cwd: folder,
      env: environmentWithoutLabbroker(),
      stdout: "pipe",
      stderr: "pipe",
    });
    const [hostsCode, hostsOut, hostsErr] = await Promise.all([
      hosts.exited,
      new Response(hosts.stdout).text(),
      new Response(hosts.stderr).text(),
    ]);
    expect({ hostsCode, hostsErr, online: JSON.parse(hostsOut || "[]")[0]?.state }).toEqual({
      hostsCode: 0,
      hostsErr: "",
      online: "online",
    });

    const session = await http("POST", `${URL}/session`, undefined, auth);
    expect(session.status).toBe(201);
    const headers = { "X-Session-ID": session.json.session_id, ...auth };
    await eventually(
      async () => (await http("GET", `${URL}/session/${session.json.session_id}`, undefined, auth)).json?.status === "active",
      "the session to become active",
    );

    const deployed = await fetch(`${URL}/lab`, { method: "POST", headers, body: compatUpload(TOPOLOGY) });
    const body = await deployed.json();
    expect([deployed.status, body.detail]).toEqual([200, undefined]);
    expect(body.devices.map((device: { name: string }) => device.name).sort()).toEqual(["a", "b", "c"]);
    const [lab] = (await http("GET", `${URL}/v1/labs?state=running`, undefined, auth)).json.items;
    const ping = await runCommand(["ip", "netns", "exec", `clab-${lab.instance_name}-a`, "ping", "-c1", "-W2", "10.0.2.3"], {
      timeoutMs: 10_000,
    });
    expect(ping.code).toBe(0);
    expect(existsSync(join(folder, "data", "labbroker.db"))).toBe(true);
    expect(existsSync(join(folder, "data", "agent", "labs", lab.instance_name, "line3.clab.yml"))).toBe(true);

    expect((await http("DELETE", `${URL}/lab`, undefined, headers)).status).toBe(202);
    await eventually(
      async () => (await http("GET", `${URL}/v1/labs/${lab.id}`, undefined, auth)).json?.state === "inactive",
      "the lab to be destroyed",
    );
    expect((await runCommand(["ip", "netns", "list"], { timeoutMs: 10_000 })).stdout).not.toContain(lab.instance_name);
    expect((await http("DELETE", `${URL}/session/${session.json.session_id}`, undefined, auth)).status).toBe(204);
    expect(await serve.kill("SIGTERM")).toBe(0);
  }, 120_000);
});
