import { afterEach, describe, expect, setDefaultTimeout, test } from "bun:test";
import { Database } from "bun:sqlite";
import { randomBytes, randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { parseWorkPayload, parseWorkResult } from "../../src/protocol/work-contract.ts";
import { WORK_KINDS, type WorkKind } from "../../src/protocol/work-kinds.ts";
import { isRoot, processesWithEnvironment } from "../support/host-processes.ts";
import { adminFetch, http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { NEEDS_ROOT } from "../support/native-labs.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

setDefaultTimeout(120_000);

const TOPOLOGY = uniquelyNamed("name: proto\ntopology:\n  nodes:\n    a: {kind: linux}\n");

let cluster: LabCluster | undefined;
let mark = "";
let folder = "";
afterEach(async () => {
  await cluster?.stop();
  for (const { pid } of processesWithEnvironment("LABBROKER_TEST_JOB", mark)) process.kill(pid, "SIGKILL");
  if (folder) rmSync(folder, { recursive: true, force: true });
  cluster = undefined;
});

/** The work items of each kind the broker recorded, as stored: payload sent, outcome reported. */
function recordedWork(): Map<WorkKind, { state: string; payload: unknown; result: unknown; error: string | null }[]> {
  const db = new Database(join(cluster!.root, "broker.db"), { readonly: true });
  const rows = db.query("SELECT kind, state, payload, result, error FROM work_items ORDER BY created_at").all() as {
    kind: WorkKind;
    state: string;
    payload: string;
    result: string | null;
    error: string | null;
  }[];
  db.close();
  const byKind = new Map<WorkKind, { state: string; payload: unknown; result: unknown; error: string | null }[]>();
  for (const row of rows) {
    const items = byKind.get(row.kind) ?? [];
    items.push({
      state: row.state,
      payload: JSON.parse(row.payload),
      result: row.result === null ? null : JSON.parse(row.result),
      error: row.error,
    });
    byKind.set(row.kind, items);
  }
  return byKind;
}

describe.skipIf(!isRoot)(`every work kind through broker and agent processes${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("each kind's payload reaches the real executor, which does what it says; each result comes back as the protocol describes it", async () => {
    mark = randomUUID();
    folder = `/tmp/labbroker-protocol-${mark}`;
    cluster = new LabCluster();
    await cluster.startBroker();
    // The processes gate looks only at what a session leaves: other tests on this host change nothing in it.
    await cluster.startAgent({ name: "proto-host", args: ["--health-gate", "processes"] });

    // refresh-inventory: the agent looks at the host again and the host shows what it found.
    expect((await http("POST", `${cluster.url}/v1/hosts/proto-host/refresh-inventory`)).status).toBe(202);
    await eventually(async () => recordedWork().get("refresh-inventory")?.[0]?.state === "done", "the inventory refresh");
    const host = (await http("GET", `${cluster.url}/v1/hosts/proto-host`)).json;
    expect(host.runtimes.map((runtime: { name: string }) => runtime.name)).toContain("native");
    expect(host.inventory).toMatchObject({ hostname: hostname(), health_gate: "processes" });

    // deploy-lab: the lab's node is a network namespace on the host.
    const session = await cluster.session("proto-host");
    // keep_warm: its session's end resets it (reset-lab) instead of destroying it.
    const created = await http("POST", `${cluster.url}/v1/labs`, { session_id: session.id, topology: TOPOLOGY, keep_warm: true });
    expect(created.status).toBe(202);
    const lab = await eventually(
      async () => {
        const current = (await http("GET", `${cluster!.url}/v1/labs/${created.json.id}`)).json;
        return ["running", "failed"].includes(current.state) ? current : null;
      },
      "the lab to deploy",
      30_000,
    );
    expect(lab.state).toBe("running");
    expect(lab.nodes.map((node: { name: string }) => node.name)).toEqual(["a"]);

    // run-job: the job runs inside the node, in its namespace.
    const inNode = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, {
      lab_id: lab.id,
      node: "a",
      argv: ["ip", "netns", "identify"],
      env: { LABBROKER_TEST_JOB: mark },
    });
    expect(inNode.json).toMatchObject({ state: "finished", passed: true });
    const nodeNamespace = inNode.json.stdout.trim();
    expect(nodeNamespace).toContain(lab.instance_name);

    // device-op: a device created through the API exists in the node's namespace.
    const device = `pr${randomBytes(2).toString("hex")}`;
    const made = await http("POST", `${cluster.url}/v1/sessions/${session.id}/labs/${lab.id}/nodes/a/devices`, {
      kind: "bridge",
      name: device,
    });
    expect({ status: made.status, body: made.json }).toMatchObject({ status: 201 });
    expect((await runCommand(["ip", "-n", nodeNamespace, "link", "show", device], { timeoutMs: 10_000 })).code).toBe(0);

    // file-transfer: the bytes land on the host and come back unchanged.
    const content = new Uint8Array(randomBytes(4096));
    const fileUrl = `${cluster.url}/v1/sessions/${session.id}/hosts/m1/files?path=${encodeURIComponent(`${folder}/sent.bin`)}`;
    expect((await adminFetch(fileUrl, { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: content })).status)
      .toBe(201);
    expect(new Uint8Array(readFileSync(`${folder}/sent.bin`))).toEqual(content);
    expect(new Uint8Array(await (await adminFetch(fileUrl)).arrayBuffer())).toEqual(content);

    // kill-job: the signal reaches the job's process on the host.
    const sleeper = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, {
      argv: ["sleep", "600"],
      background: true,
      env: { LABBROKER_TEST_JOB: mark },
    });
    await eventually(async () => processesWithEnvironment("LABBROKER_TEST_JOB", mark).length > 0, "the background job to start");
    const killed = await http("POST", `${cluster.url}/v1/jobs/${sleeper.json.id}/kill`, { signal: "SIGTERM" });
    expect(killed.json).toMatchObject({ signalled: true });
    await eventually(async () => processesWithEnvironment("LABBROKER_TEST_JOB", mark).length === 0, "the job's process to end");

    // reset-lab (and the restore of the device change), then health-check: ending the session resets the
    // warm lab to its deployed baseline and the agent checks the host for what the session left.
    expect((await http("DELETE", `${cluster.url}/v1/sessions/${session.id}`)).status).toBe(200);
    const warm = await eventually(
      async () => {
        const current = (await http("GET", `${cluster!.url}/v1/labs/${lab.id}`)).json;
        return current.state === "running" && recordedWork().get("reset-lab")?.[0]?.state === "done" ? current : null;
      },
      "the lab's reset",
      30_000,
    );
    expect(warm.warm_until).not.toBeNull();
    expect(existsSync(`/run/netns/${nodeNamespace}`)).toBe(true);
    expect((await runCommand(["ip", "-n", nodeNamespace, "link", "show", device], { timeoutMs: 10_000 })).code).not.toBe(0);

    // destroy-lab: deleting the warm lab tears it down.
    expect((await http("DELETE", `${cluster.url}/v1/labs/${lab.id}`)).status).toBeLessThan(300);
    await eventually(async () => (await http("GET", `${cluster!.url}/v1/labs/${lab.id}`)).json.state === "inactive", "the lab's destroy");
    expect(existsSync(`/run/netns/${nodeNamespace}`)).toBe(false);
    const checked = await eventually(
      async () => {
        const current = (await http("GET", `${cluster!.url}/v1/hosts/proto-host`)).json;
        return current.health.state === "checking" ? null : current;
      },
      "the host's check after the session",
      30_000,
    );
    expect(checked.health.report).toMatchObject({ gate: "processes", reason: "session-ended", session_id: session.id });

    // Every kind went over the wire, finished, and its stored payload and result read with the protocol's schemas.
    await eventually(async () => [...recordedWork().values()].flat().every((item) => item.state === "done"), "all work to finish");
    const recorded = recordedWork();
    expect([...recorded.keys()].sort()).toEqual([...WORK_KINDS].sort());
    for (const [kind, items] of recorded) {
      for (const item of items) {
        expect({ kind, error: item.error }).toEqual({ kind, error: null });
        // An upload's content leaves the database once written (file-transfer-content.ts); the rest of its payload stays.
        const uploaded = kind === "file-transfer" && (item.payload as { direction: string }).direction === "upload";
        const sent = uploaded ? { ...(item.payload as object), content_base64: "" } : item.payload;
        expect({ kind, payload: parseWorkPayload(kind, sent).ok }).toEqual({ kind, payload: true });
        expect({ kind, result: parseWorkResult(kind, item.result) }).toMatchObject({ kind, result: { ok: true } });
      }
    }
  });
});
