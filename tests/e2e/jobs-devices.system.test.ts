import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { isRoot, processesWithEnvironment } from "../support/host-processes.ts";
import { adminFetch, http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { NEEDS_ROOT } from "../support/native-labs.ts";
import { ipJson, readSysctlFile, snapshotNamespace } from "../support/namespace-snapshot.ts";
import { SseReader } from "../support/sse.ts";
import { deleteTestNamespace } from "../support/test-namespace.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const LINE3 = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));

setDefaultTimeout(90_000);

let cluster: LabCluster | undefined;
/** Every job a test starts carries this variable, so the test can find (and finally kill) its processes on the host. */
let mark = "";
/** Namespaces and folders a test made on the host itself (the broker restores only what went through its API). */
const leftovers: { namespaces: string[]; links: string[]; folders: string[] } = { namespaces: [], links: [], folders: [] };
afterEach(async () => {
  await cluster?.stop();
  for (const { pid } of processesWithEnvironment("LABBROKER_TEST_JOB", mark)) process.kill(pid, "SIGKILL");
  for (const namespace of leftovers.namespaces.splice(0)) await deleteTestNamespace(namespace);
  for (const link of leftovers.links.splice(0)) await run(["ip", "link", "delete", "dev", link]);
  for (const folder of leftovers.folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  cluster = undefined;
});

async function nativeCluster(brokerArgs: string[] = [], agentArgs: string[] = []) {
  mark = randomUUID();
  cluster = new LabCluster();
  await cluster.startBroker(brokerArgs);
  await cluster.startAgent({ name: "host-a", args: agentArgs });
  return cluster;
}

async function deployLine3(sessionId: string) {
  const created = await http("POST", `${cluster!.url}/v1/labs`, {
    session_id: sessionId,
    topology: LINE3,
    topology_file: "line3.clab.yml",
  });
  expect(created.status).toBe(202);
  const running = await eventually(
    async () => {
      const current = (await http("GET", `${cluster!.url}/v1/labs/${created.json.id}`)).json;
      return ["running", "failed"].includes(current.state) ? current : null;
    },
    "line3 to deploy",
    30_000,
  );
  expect(running.state).toBe("running");
  return running;
}

/** Ends the session; its lab must end inactive (no error) with nothing of it left on the host. */
async function endSessionAndExpectLabGone(sessionId: string, lab: { id: string; instance_name: string }) {
  expect((await http("DELETE", `${cluster!.url}/v1/sessions/${sessionId}`)).status).toBe(200);
  const ended = await eventually(async () => {
    const current = (await http("GET", `${cluster!.url}/v1/labs/${lab.id}`)).json;
    return ["inactive", "failed"].includes(current.state) ? current : null;
  }, "the lab to be destroyed");
  expect(ended).toMatchObject({ state: "inactive", error: null });
  expect(await namespaces()).not.toContain(lab.instance_name);
  expect((await run(["ip", "-j", "link"])).stdout).not.toContain(lab.instance_name);
}

function job(sessionId: string, body: Record<string, unknown>) {
  return http("POST", `${cluster!.url}/v1/sessions/${sessionId}/jobs`, {
    ...body,
    env: { LABBROKER_TEST_JOB: mark, ...(body.env as object) },
  });
}

const jobProcesses = () => processesWithEnvironment("LABBROKER_TEST_JOB", mark);
const run = (argv: string[]) => runCommand(argv, { timeoutMs: 10_000 });
const namespaces = async () => (await run(["ip", "netns", "list"])).stdout;
/** A device of the host's own namespace as `ip -j link` shows it, or null. */
async function hostLink(name: string): Promise<{ ifname: string; master?: string } | null> {
  const result = await run(["ip", "-j", "link", "show", "dev", name]);
  return result.code === 0 ? JSON.parse(result.stdout)[0] : null;
}

/** A device request on the session's host, in `netns` when given. */
function onHost(sessionId: string, method: string, path: string, netns: string | null, body?: unknown) {
  const query = netns ? `${path.includes("?") ? "&" : "?"}netns=${netns}` : "";
  return http(method, `${cluster!.url}/v1/sessions/${sessionId}/hosts/m1${path}${query}`, body);
}

/** A namespace on the host made by a job, with a veth pair v0/v1 in it; returned with its state before any device change. */
async function namespaceMadeByJob(sessionId: string) {
  const netns = `lbt-${mark.slice(0, 8)}`;
  leftovers.namespaces.push(netns);
  const made = await job(sessionId, {
    shell: `ip netns add ${netns} && ip -n ${netns} link add v0 type veth peer name v1 && ip -n ${netns} link set v0 up`,
    description: "a namespace to work in",
  });
  expect(made.json).toMatchObject({ passed: true });
  return { netns, before: await snapshotNamespace(netns, ["net.ipv4.ip_forward"]) };
}

/** MTU, an address, a new bridge (with v1 as its port) and a sysctl, through the API; each visible through the API and with ip. */
async function changeDevices(sessionId: string, netns: string, heartbeat: () => Promise<unknown> = async () => {}) {
  await heartbeat();
  expect((await onHost(sessionId, "PATCH", "/devices/v0", netns, { mtu: 1400, add_addresses: ["10.77.0.1/24"] })).json).toEqual({
    changes: 2,
  });
  await heartbeat();
  expect((await onHost(sessionId, "POST", "/devices", netns, { kind: "bridge", name: "br0" })).status).toBe(201);
  await heartbeat();
  expect((await onHost(sessionId, "PATCH", "/devices/v1", netns, { master: "br0" })).status).toBe(200);
  await heartbeat();
  expect((await onHost(sessionId, "PUT", "/sysctls/net.ipv4.ip_forward", netns, { value: "1" })).status).toBe(200);
  await heartbeat();
  const listed = (await onHost(sessionId, "GET", "/devices", netns)).json as {
    name: string;
    mtu: number;
    master: string | null;
    kind: string | null;
    addresses: { local: string }[];
  }[];
  const byName = Object.fromEntries(listed.map((device) => [device.name, device]));
  expect(byName.v0).toMatchObject({
    mtu: 1400,
    addresses: expect.arrayContaining([expect.objectContaining({ local: "10.77.0.1", prefixlen: 24 })]),
  });
  expect(byName.br0).toMatchObject({ kind: "bridge" });
  expect(byName.v1).toMatchObject({ master: "br0" });
  expect((await onHost(sessionId, "GET", "/sysctls/net.ipv4.ip_forward", netns)).json).toEqual({ key: "net.ipv4.ip_forward", value: "1" });
  const [v0] = await ipJson(netns, ["addr", "show", "dev", "v0"]);
  expect(v0!.mtu).toBe(1400);
  expect(v0!.addr_info!.map((address) => `${address.local}/${address.prefixlen}`)).toContain("10.77.0.1/24");
  expect((await ipJson(netns, ["-d", "link", "show", "dev", "br0"]))[0]!.linkinfo?.info_kind).toBe("bridge");
  expect((await ipJson(netns, ["link", "show", "dev", "v1"]))[0]!.master).toBe("br0");
  expect(await readSysctlFile(netns, "net.ipv4.ip_forward")).toBe("1");
}

describe.skipIf(!isRoot)(`jobs through broker and agent processes${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("jobs in lab nodes: a ping passes, parse_json returns the parsed object, expect_failure passes on failure, a job is killed at timeout_s; numbered 1, 2, 3… with a summary", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const lab = await deployLine3(session.id);

    const ping = await job(session.id, {
      lab_id: lab.id,
      node: "a",
      argv: ["ping", "-c", "2", "-i", "0.2", "-W", "2", "10.0.2.3"],
      description: "a reaches c through b",
    });
    expect(ping.status).toBe(200);
    expect(ping.json).toMatchObject({ state: "finished", passed: true, exit_code: 0, signal: null, node: "a", number: 1 });
    expect(ping.json.stdout).toContain("2 packets transmitted, 2 received");

    const addresses = await job(session.id, {
      lab_id: lab.id,
      node: "b",
      argv: ["ip", "-j", "addr", "show", "dev", "eth2"],
      parse_json: true,
      description: "b's eth2",
    });
    expect(addresses.json).toMatchObject({ passed: true, result_error: null, number: 2 });
    expect(addresses.json.result[0]).toMatchObject({
      ifname: "eth2",
      addr_info: expect.arrayContaining([expect.objectContaining({ local: "10.0.2.2", prefixlen: 24 })]),
    });

    const unreachable = await job(session.id, {
      lab_id: lab.id,
      node: "c",
      shell: "ping -c 1 -W 1 10.0.9.9",
      expect_failure: true,
      description: "nothing at 10.0.9.9",
    });
    expect(unreachable.json).toMatchObject({ passed: true, number: 3 });
    expect(unreachable.json.exit_code).not.toBe(0);

    const started = Date.now();
    const slow = await job(session.id, { lab_id: lab.id, node: "b", argv: ["sleep", "30"], timeout_s: 1, description: "too slow" });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(slow.json).toMatchObject({ state: "finished", passed: false, timed_out: true, signal: "SIGKILL", exit_code: null, number: 4 });
    expect(jobProcesses()).toEqual([]);

    const listed = (await http("GET", `${cluster!.url}/v1/sessions/${session.id}/jobs`)).json.items;
    expect(listed.map((entry: { number: number }) => entry.number)).toEqual([1, 2, 3, 4]);
    const summary = (await http("GET", `${cluster!.url}/v1/sessions/${session.id}/summary`)).json;
    expect(summary.hosts).toHaveLength(1);
    expect(summary.hosts[0]).toMatchObject({ role: "m1", host: "host-a" });
    expect(
      summary.hosts[0].jobs.map((
        entry: { number: number; verdict: string; description: string },
      ) => [entry.number, entry.verdict, entry.description]),
    ).toEqual([
      [1, "PASS", "a reaches c through b"],
      [2, "PASS", "b's eth2"],
      [3, "PASS", "nothing at 10.0.9.9"],
      [4, "FAIL", "too slow"],
    ]);
    const text = await adminFetch(`${cluster!.url}/v1/sessions/${session.id}/summary?format=text`).then((response) => response.text());
    expect(text).toContain("m1 (host-a)\n");
    expect(text).toContain("  job 1: PASS a reaches c through b [node a] — exit code 0\n");
    expect(text).toContain("  job 4: FAIL too slow [node b] — exit code none, killed by SIGKILL, timed out\n");
  });

  test("a background job runs until killed: POST returns at once, kill ends its whole process tree on the host", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const started = await job(session.id, { shell: "sleep 600 & sleep 600 & wait", background: true, description: "two sleepers" });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ background: true, number: 1 });
    await eventually(
      async () => jobProcesses().filter((process) => process.argv.join(" ") === "sleep 600").length === 2,
      "both sleeps to run on the host",
    );
    expect((await http("GET", `${cluster!.url}/v1/jobs/${started.json.id}`)).json.state).toBe("running");

    const killed = await http("POST", `${cluster!.url}/v1/jobs/${started.json.id}/kill`);
    expect(killed.status).toBe(200);
    expect(killed.json.signalled).toBe(true);
    const finished = (await http("POST", `${cluster!.url}/v1/jobs/${started.json.id}/wait?timeout_s=10`)).json;
    expect(finished).toMatchObject({ state: "finished", signal: "SIGKILL", passed: false, exit_code: null });
    expect(jobProcesses()).toEqual([]);
    const again = await http("POST", `${cluster!.url}/v1/jobs/${started.json.id}/kill`, { signal: "SIGTERM" });
    expect(again.json).toMatchObject({ signalled: false, message: "Job 1 has already finished; it was not signalled" });
  });

  test("nothing a job starts escapes: setsid children die with a kill, with the session's end and at the timeout", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const escapee = (seconds: number) => jobProcesses().filter((process) => process.argv.join(" ") === `sleep ${seconds}`);

    const killedJob = await job(session.id, { shell: "setsid sleep 1779 & wait", background: true });
    await eventually(async () => escapee(1779).length === 1, "the setsid sleep to run");
    expect((await http("POST", `${cluster!.url}/v1/jobs/${killedJob.json.id}/kill`)).json.signalled).toBe(true);
    const killed = (await http("POST", `${cluster!.url}/v1/jobs/${killedJob.json.id}/wait?timeout_s=10`)).json;
    expect(killed).toMatchObject({ state: "finished", signal: "SIGKILL", exit_code: null, passed: false });
    expect(jobProcesses()).toEqual([]);

    const started = Date.now();
    const timedOut = await job(session.id, { shell: "setsid sleep 15 & sleep 100", timeout_s: 2 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(timedOut.json).toMatchObject({ state: "finished", timed_out: true, signal: "SIGKILL", passed: false });
    expect(jobProcesses()).toEqual([]);

    const exited = await job(session.id, { shell: "setsid sleep 1778 & echo started", timeout_s: 30 });
    expect(exited.json).toMatchObject({ state: "finished", exit_code: 0, stdout: "started\n", passed: true });
    expect(jobProcesses()).toEqual([]);

    const orphaned = await job(session.id, { shell: "setsid sleep 1777 & wait", background: true });
    await eventually(async () => escapee(1777).length === 1, "the second setsid sleep to run");
    expect((await http("DELETE", `${cluster!.url}/v1/sessions/${session.id}`)).status).toBe(200);
    const ended = await eventually(async () => {
      const current = (await http("GET", `${cluster!.url}/v1/jobs/${orphaned.json.id}`)).json;
      return current.state === "finished" ? current : null;
    }, "the session's job to end");
    expect(ended).toMatchObject({ signal: "SIGKILL", passed: false });
    await eventually(async () => jobProcesses().length === 0, "the job's processes to be gone");
  });

  test("the results summary as LNST prints it: background jobs start, verdicts in time order with why a job failed, and the test's own results", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const capture = await job(session.id, { shell: "sleep 600", background: true, description: "capture" });
    const parsed = await job(session.id, { shell: "echo not-json", parse_json: true, description: "read counters" });
    expect(parsed.json).toMatchObject({ passed: false, exit_code: 0 });
    expect(
      (await http("POST", `${cluster!.url}/v1/sessions/${session.id}/results`, {
        description: "counters consistent",
        result: "FAIL",
        data: { lost: 3 },
      })).status,
    ).toBe(201);
    await http("POST", `${cluster!.url}/v1/jobs/${capture.json.id}/kill`);
    await http("POST", `${cluster!.url}/v1/jobs/${capture.json.id}/wait?timeout_s=10`);

    const summary = (await http("GET", `${cluster!.url}/v1/sessions/${session.id}/summary`)).json;
    expect(
      summary.timeline.map((
        entry: { kind: string; number: number | null; verdict: string | null },
      ) => [entry.kind, entry.number, entry.verdict]),
    ).toEqual([
      ["job-started", 1, null],
      ["job", 2, "FAIL"],
      ["result", null, "FAIL"],
      ["job", 1, "FAIL"],
    ]);
    const text = await adminFetch(`${cluster!.url}/v1/sessions/${session.id}/summary?format=text&view=chronological`).then((response) =>
      response.text()
    );
    const lines = text.trimEnd().split("\n").map((line) => line.slice(line.indexOf(" ") + 1));
    expect(lines[0]).toBe("m1 (host-a) job 1 started: capture [background]");
    expect(lines[1]).toStartWith("m1 (host-a) job 2: FAIL read counters — exit code 0; stdout is not valid JSON: ");
    expect(lines[2]).toBe('result: FAIL counters consistent — {"lost":3}');
    expect(lines[3]).toBe("m1 (host-a) job 1: FAIL capture — exit code none, killed by SIGKILL");
    const perHost = await adminFetch(`${cluster!.url}/v1/sessions/${session.id}/summary?format=text`).then((response) => response.text());
    expect(perHost).toContain("  job 2: FAIL read counters — exit code 0; stdout is not valid JSON: ");
  });

  test("large output reaches the caller: 3 MB of stdout whole when max_output_bytes allows it, cut and marked beyond it", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const print = "head -c 3000000 /dev/zero | tr '\\0' x";
    const whole = await job(session.id, { shell: print, max_output_bytes: 4 * 1024 * 1024 });
    expect(whole.json).toMatchObject({ state: "finished", passed: true, truncated: { stdout: 0, stderr: 0 } });
    expect(whole.json.stdout).toBe("x".repeat(3_000_000));
    const cut = await job(session.id, { shell: print });
    expect(cut.json).toMatchObject({ state: "finished", passed: true, truncated: { stdout: 3_000_000 - 1024 * 1024, stderr: 0 } });
    expect(cut.json.stdout).toStartWith(
      "x".repeat(1024 * 1024) + "\n[labbroker: stdout truncated: first 1048576 bytes kept, 1951424 bytes cut]",
    );
    const streamed = await adminFetch(`${cluster!.url}/v1/jobs/${whole.json.id}/output`).then((response) => response.text());
    expect(streamed.split("\n").filter((line) => line.startsWith("data: ")).map((line) => JSON.parse(line.slice(6)).text ?? "").join(""))
      .toBe(whole.json.stdout);
  });

  test("output streams live: a line printed by a running job arrives before the job ends", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const started = await job(session.id, { shell: 'i=0; while true; do echo "tick $i"; i=$((i+1)); sleep 1; done', background: true });
    const stream = new SseReader(await adminFetch(`${cluster!.url}/v1/jobs/${started.json.id}/output`));
    const first = await stream.next();
    expect(first?.event).toBe("output");
    expect(JSON.parse(first!.data)).toMatchObject({ stream: "stdout", text: "tick 0\n" });
    expect((await http("GET", `${cluster!.url}/v1/jobs/${started.json.id}`)).json.state).toBe("running");

    await http("POST", `${cluster!.url}/v1/jobs/${started.json.id}/kill`);
    const rest = await stream.rest();
    expect(rest.at(-1)?.event).toBe("end");
    const finished = (await http("GET", `${cluster!.url}/v1/jobs/${started.json.id}`)).json;
    const streamed = [first!, ...rest].filter((message) => message.event === "output").map((message) => JSON.parse(message.data).text).join(
      "",
    );
    expect(streamed).toBe(finished.stdout);
    // Resuming after the first chunk gives the rest, not the first again.
    const resumed = await adminFetch(`${cluster!.url}/v1/jobs/${started.json.id}/output`, { headers: { "last-event-id": first!.id! } })
      .then((response) => response.text());
    expect(resumed).not.toContain('"tick 0\\n"');
    expect(resumed).toContain("event: end");
  });
});

describe.skipIf(!isRoot)(`devices, files and access through broker and agent processes${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("device changes in a namespace a job made on the host (MTU, address, bridge, sysctl) show through the API and ip; refusals change nothing; ending the session undoes all", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const { netns, before } = await namespaceMadeByJob(session.id);
    await changeDevices(session.id, netns);
    const changed = await snapshotNamespace(netns, ["net.ipv4.ip_forward"]);

    const refusals = [
      [await onHost(session.id, "PATCH", "/devices/v0", netns, { mtu: 70_000 }), 400],
      [await onHost(session.id, "PATCH", "/devices/v0", netns, { add_addresses: ["10.77.0.300/24"] }), 400],
      [await onHost(session.id, "PATCH", "/devices/nothere", netns, { mtu: 1300 }), 404],
      [await onHost(session.id, "POST", "/devices", netns, { kind: "bridge", name: "br0" }), 409],
      [await onHost(session.id, "GET", "/devices", "lbt-no-such-namespace"), 404],
    ] as const;
    for (const [response, status] of refusals) expect([response.status, response.json?.detail]).toEqual([status, expect.any(String)]);
    expect(await snapshotNamespace(netns, ["net.ipv4.ip_forward"])).toEqual(changed);

    expect((await http("DELETE", `${cluster!.url}/v1/sessions/${session.id}`)).status).toBe(200);
    await eventually(
      async () => JSON.stringify(await snapshotNamespace(netns, ["net.ipv4.ip_forward"])) === JSON.stringify(before),
      "every change to be undone",
    );
  });

  test("a session that expires (no heartbeat within --active-timeout) has its device changes undone when it is reaped", async () => {
    await nativeCluster(["--active-timeout", "2"]);
    const session = await cluster!.session("host-a");
    const heartbeat = () => http("POST", `${cluster!.url}/v1/sessions/${session.id}/heartbeat`);
    const { netns, before } = await namespaceMadeByJob(session.id);
    await changeDevices(session.id, netns, heartbeat);
    expect(await snapshotNamespace(netns, ["net.ipv4.ip_forward"])).not.toEqual(before);

    // No more heartbeats: the broker reaps the session and restores the host.
    await eventually(
      async () => JSON.stringify(await snapshotNamespace(netns, ["net.ipv4.ip_forward"])) === JSON.stringify(before),
      "the reaped session's changes to be undone",
      20_000,
    );
    expect((await http("GET", `${cluster!.url}/v1/sessions/${session.id}`)).json).toMatchObject({ state: "ended", end_reason: "expired" });
  });

  test("device changes are undone when the session ends while its agent is down: the restore waits for the agent's restart", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const { netns, before } = await namespaceMadeByJob(session.id);
    await changeDevices(session.id, netns);
    const agent = cluster!.agentProcess("host-a");
    agent.proc.kill("SIGKILL");
    await agent.proc.exited;

    expect((await http("DELETE", `${cluster!.url}/v1/sessions/${session.id}`)).status).toBe(200);
    expect(await snapshotNamespace(netns, ["net.ipv4.ip_forward"])).not.toEqual(before);
    await cluster!.startAgent({ name: "host-a" });
    await eventually(
      async () => JSON.stringify(await snapshotNamespace(netns, ["net.ipv4.ip_forward"])) === JSON.stringify(before),
      "every change to be undone after the restart",
    );
  });

  test("device changes inside lab nodes (MTU, address, bridge, ip_forward) show through the API and in the node; the session's end leaves neither lab nor changes", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const lab = await deployLine3(session.id);
    const node = (name: string) => `${cluster!.url}/v1/sessions/${session.id}/labs/${lab.id}/nodes/${name}`;
    const namespaceOf = (name: string) => `clab-${lab.instance_name}-${name}`;

    expect((await http("PATCH", `${node("b")}/devices/eth1`, { mtu: 1400 })).status).toBe(200);
    expect((await http("PATCH", `${node("b")}/devices/eth2`, { add_addresses: ["10.99.0.2/24"] })).status).toBe(200);
    expect((await http("POST", `${node("b")}/devices`, { kind: "bridge", name: "br-b" })).status).toBe(201);
    const forwarding = await readSysctlFile(namespaceOf("a"), "net.ipv4.ip_forward");
    const flipped = forwarding === "1" ? "0" : "1";
    expect((await http("PUT", `${node("a")}/sysctls/net.ipv4.ip_forward`, { value: flipped })).status).toBe(200);

    const listed = (await http("GET", `${node("b")}/devices`)).json as {
      name: string;
      mtu: number;
      netns: string;
      addresses: { local: string }[];
    }[];
    expect(listed.find((device) => device.name === "eth1")).toMatchObject({ mtu: 1400, netns: namespaceOf("b") });
    expect(listed.find((device) => device.name === "eth2")!.addresses.map((address) => address.local)).toContain("10.99.0.2");
    expect(listed.map((device) => device.name)).toContain("br-b");
    expect((await ipJson(namespaceOf("b"), ["link", "show", "dev", "eth1"]))[0]!.mtu).toBe(1400);
    expect((await ipJson(namespaceOf("b"), ["addr", "show", "dev", "eth2"]))[0]!.addr_info!.map((address) => address.local)).toContain(
      "10.99.0.2",
    );
    expect((await ipJson(namespaceOf("b"), ["-d", "link", "show", "dev", "br-b"]))[0]!.linkinfo?.info_kind).toBe("bridge");
    expect(await readSysctlFile(namespaceOf("a"), "net.ipv4.ip_forward")).toBe(flipped);
    // b's eth1 now drops frames from a's eth1 (MTU 9500) that exceed 1400 bytes.
    const ping = (size: number) =>
      job(session.id, { lab_id: lab.id, node: "a", argv: ["ping", "-c", "1", "-W", "2", "-M", "do", "-s", String(size), "10.0.1.2"] });
    expect((await ping(1300)).json.passed).toBe(true);
    expect((await ping(1450)).json.passed).toBe(false);

    await endSessionAndExpectLabGone(session.id, lab);
  });

  test("a session ending with a job still running in a lab node and changes in it: the job is killed, the lab destroyed cleanly", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const lab = await deployLine3(session.id);
    const node = `${cluster!.url}/v1/sessions/${session.id}/labs/${lab.id}/nodes/b`;
    expect((await http("PATCH", `${node}/devices/eth1`, { mtu: 1400, add_addresses: ["10.98.0.2/24"] })).status).toBe(200);
    expect((await http("POST", `${node}/devices`, { kind: "bridge", name: "br-b" })).status).toBe(201);
    const sleeper = await job(session.id, { lab_id: lab.id, node: "b", argv: ["sleep", "600"], background: true });
    await eventually(
      async () => jobProcesses().some((process) => /(^|\/)sleep 600$/.test(process.argv.join(" "))),
      "the job to run in node b",
    );

    await endSessionAndExpectLabGone(session.id, lab);
    await eventually(async () => jobProcesses().length === 0, "the job's processes to be gone");
    const finished = (await http("POST", `${cluster!.url}/v1/jobs/${sleeper.json.id}/wait?timeout_s=10`)).json;
    expect(finished).toMatchObject({ state: "finished", passed: false });
  });

  test("a session that joined a device of its own to its lab's management bridge: at its end the device goes first, so the bridge goes with the lab", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const lab = await deployLine3(session.id);
    const bridge = String(lab.devices[0].raw.mgmt.bridge);
    const [port, peer] = [`lbt${mark.slice(0, 6)}a`, `lbt${mark.slice(0, 6)}b`];
    leftovers.links.push(port, bridge);
    expect((await onHost(session.id, "POST", "/devices", null, { kind: "veth", name: port, peer })).status).toBe(201);
    expect((await onHost(session.id, "PATCH", `/devices/${port}`, null, { master: bridge, up: true })).status).toBe(200);
    expect((await hostLink(port))?.master).toBe(bridge);

    await endSessionAndExpectLabGone(session.id, lab);
    await eventually(async () => (await hostLink(port)) === null, "the session's veth to be removed");
    expect(await hostLink(bridge)).toBeNull();
  });

  test("files go to the host and back byte for byte; paths that could leave their place are refused", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const folder = `/tmp/labbroker-e2e-${mark}`;
    leftovers.folders.push(folder);
    const content = new Uint8Array([...Array.from({ length: 256 }, (_, byte) => byte), ...randomBytes(3 * 1024 * 1024)]);
    const url = (path: string) => `${cluster!.url}/v1/sessions/${session.id}/hosts/m1/files?path=${encodeURIComponent(path)}`;

    const put = await adminFetch(url(`${folder}/sub/capture.bin`), {
      method: "PUT",
      headers: { "content-type": "application/octet-stream" },
      body: content,
    });
    expect(put.status).toBe(201);
    expect(await put.json()).toEqual({ path: `${folder}/sub/capture.bin`, size: content.length });
    expect(new Uint8Array(readFileSync(`${folder}/sub/capture.bin`))).toEqual(content);
    const got = await adminFetch(url(`${folder}/sub/capture.bin`));
    expect(got.status).toBe(200);
    expect(new Uint8Array(await got.arrayBuffer())).toEqual(content);
    // Delivered, the bytes are gone from the broker's database (only path and size remain).
    const db = new Database(join(cluster!.root, "broker.db"), { readonly: true });
    const kept = db.query(
      "SELECT count(*) AS n FROM work_items WHERE kind = 'file-transfer' AND (payload LIKE '%content_base64%' OR result LIKE '%content_base64%')",
    ).get() as { n: number };
    db.close();
    expect(kept.n).toBe(0);

    const notNormal = 'query.path: must be normalised, without ".." or a trailing "/"';
    for (
      const [path, detail] of [[`${folder}/../etc/passwd`, notNormal], ["etc/passwd", "query.path: must be an absolute path"], [
        `${folder}/./sub/capture.bin`,
        notNormal,
      ]] as const
    ) {
      const refused = await adminFetch(url(path));
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { detail: string }).detail).toBe(detail);
    }
    const upward = await adminFetch(url(`${folder}/../labbroker-escape.bin`), { method: "PUT", body: content });
    expect(upward.status).toBe(400);
    expect((await adminFetch(url(`${folder}/missing.bin`))).status).toBe(404);
  });

  test("access: a waiting session gets 423; on a shared host another session's lab and its namespaces are 404, the host's own namespace 403", async () => {
    await nativeCluster([], ["--capacity", "2"]);
    const owner = await cluster!.session("host-a");
    const other = await cluster!.session("host-a");
    const waiting = (await http("POST", `${cluster!.url}/v1/sessions`, { requirements: [{ host: "host-a" }] })).json;
    expect(waiting.state).toBe("waiting");
    const lab = await deployLine3(owner.id);

    expect((await job(waiting.id, { argv: ["true"] })).status).toBe(423);
    expect((await onHost(waiting.id, "GET", "/devices", null)).status).toBe(423);
    const foreign = await job(other.id, { lab_id: lab.id, node: "a", argv: ["true"] });
    expect(foreign.status).toBe(404);
    expect(foreign.json.detail).toBe(`Cannot find lab "${lab.id}" in session "${other.id}"`);
    expect((await http("GET", `${cluster!.url}/v1/sessions/${other.id}/labs/${lab.id}/nodes/a/devices`)).status).toBe(404);
    expect((await job(owner.id, { lab_id: lab.id, node: "a", argv: ["true"] })).json.passed).toBe(true);
    const labNamespace = `clab-${lab.instance_name}-a`;
    expect((await job(owner.id, { netns: labNamespace, argv: ["true"] })).json.passed).toBe(true);
    expect((await job(other.id, { netns: labNamespace, argv: ["true"] })).status).toBe(404);
    expect((await onHost(other.id, "GET", "/devices", labNamespace)).status).toBe(404);
    const onTheHost = await job(other.id, { argv: ["true"] });
    expect(onTheHost.status).toBe(403);
    expect((await http("GET", `${cluster!.url}/v1/sessions/${other.id}/jobs`)).json.items).toEqual([]);
  });

  test("an agent killed with -9 during a background job: after its restart the job's processes are gone, the job says why, and kill reports the truth", async () => {
    await nativeCluster();
    const session = await cluster!.session("host-a");
    const started = await job(session.id, { shell: "sleep 1791", background: true });
    expect(started.status).toBe(202);
    await eventually(async () => jobProcesses().some((process) => process.argv.join(" ") === "sleep 1791"), "the job to run");
    const agent = cluster!.agentProcess("host-a");
    agent.proc.kill("SIGKILL");
    await agent.proc.exited;
    // Its processes outlive the agent (they are in their own cgroup) until the next agent starts.
    expect(jobProcesses().length).toBeGreaterThan(0);

    await cluster!.startAgent({ name: "host-a" });
    const ended = await eventually(async () => {
      const current = (await http("GET", `${cluster!.url}/v1/jobs/${started.json.id}`)).json;
      return current.state === "finished" ? current : null;
    }, "the job to end after the agent's restart");
    expect(ended.error).toBe(
      "The agent restarted while this job ran: its processes were killed when the agent started again, and the job was not run again",
    );
    await eventually(async () => jobProcesses().length === 0, "the job's processes to be gone");
    const killed = await http("POST", `${cluster!.url}/v1/jobs/${started.json.id}/kill`);
    expect(killed.json).toMatchObject({ signalled: false, message: `Job ${ended.number} has already finished; it was not signalled` });
  });
});
