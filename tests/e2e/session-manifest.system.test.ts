import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import Ajv2020 from "ajv/dist/2020.js";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { release } from "node:os";
import { join } from "node:path";
import { LabBroker } from "../../src/client/broker.ts";
import type { SessionManifest } from "../../src/client/api-types.ts";
import { canonicalJson } from "../../src/engine/manifest/canonical-json.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { runCliCaptured } from "../support/run-cli-in-process.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

/**
 * The manifest of a real session: a broker and a native agent as processes, a lab deployed, jobs
 * on the host and in a node, device changes in a node, a recorded result; then the session ends.
 */
const LINE3 = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));
const SCHEMA = JSON.parse(readFileSync(join(import.meta.dir, "../../docs/session-manifest.schema.json"), "utf8"));
const validate = new Ajv2020({ strict: true, allErrors: true, validateFormats: false }).compile(SCHEMA);

const cluster = new LabCluster();
afterAll(() => cluster.stop());

describe.skipIf(!isRoot)(`a session's manifest${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  let manifest: SessionManifest;
  let sessionId = "";
  let labInstance = "";

  beforeAll(async () => {
    await cluster.startBroker();
    await cluster.startAgent({ name: "manifest-host" });
    const broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
    const session = await broker.session({
      client: {
        name: "nightly",
        ci_system: "gitlab-ci",
        ci_job_url: "https://gitlab.example/j/9",
        ci_commit: "9fceb02",
        ci_branch: "main",
      },
    });
    sessionId = session.id;
    const lab = await session.lab(LINE3, { fileName: "line3.clab.yml" });
    labInstance = lab.view.instance_name;
    await session.host("m1").run(["true"], { description: "host check" });
    await lab.node("a").run("exit 3", { expectFailure: true });
    await lab.node("a").device("eth1").set({ mtu: 1400 });
    await lab.node("a").sysctl("net.ipv4.ip_forward", 1);
    await session.recordResult("reachability", "PASS");
    await session.end();
    await eventually(
      async () => (await http("GET", `${cluster.url}/v1/labs/${lab.view.id}`)).json.state === "inactive",
      "the lab to be destroyed",
      30_000,
    );
    manifest = await broker.sessionManifest(sessionId);
  }, 90_000);

  test("is valid against docs/session-manifest.schema.json, and its content hash is the sha256 of its canonical form", () => {
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    const { content_hash, ...rest } = manifest;
    expect(content_hash).toBe(`sha256:${createHash("sha256").update(canonicalJson(rest)).digest("hex")}`);
  });

  test("is identical when fetched twice, through the API and the CLI", async () => {
    expect((await http("GET", `${cluster.url}/v1/sessions/${sessionId}/manifest`)).json).toEqual(manifest);
    const printed = await runCliCaptured(["session", "manifest", sessionId, "--broker", cluster.url], {}, {
      signal: new AbortController().signal,
    });
    expect(printed.code).toBe(0);
    expect(printed.stdout).toBe(JSON.stringify(manifest, null, 2) + "\n");
  });

  test("says what it ran on: the host's kernel and agent, the topology's hash, the lab's instance and nodes, the CI job", () => {
    expect(manifest.hosts).toEqual([
      expect.objectContaining({ role: "m1", name: "manifest-host", kernel: release(), facts_at: expect.any(String) }),
    ]);
    expect(manifest.hosts[0]!.runtimes.map((runtime) => runtime.name)).toContain("native");
    const [lab] = manifest.labs;
    expect(lab).toMatchObject({
      instance_name: labInstance,
      runtime: "native",
      state: "inactive",
      topology: { file: "line3.clab.yml", sha256: createHash("sha256").update(LINE3).digest("hex") },
    });
    expect(lab!.nodes.map((node) => node.name).sort()).toEqual(["a", "b", "c"]);
    expect(lab!.nodes.every((node) => node.mgmt_ipv4 !== null)).toBe(true);
    expect(manifest.ci_job).toEqual({
      name: "nightly",
      system: "gitlab-ci",
      job_url: "https://gitlab.example/j/9",
      job_id: null,
      pipeline: null,
      pipeline_url: null,
      commit: "9fceb02",
      branch: "main",
    });
    expect(manifest.timeline.map((entry) => entry.event)).toEqual(["queued", "active", "lab-created", "lab-running", "ended", "lab-ended"]);
  });

  test("lists every job with its command, timing and outcome, and every device change with its undo", () => {
    expect(manifest.jobs.map((job) => [job.description, job.node, job.command.argv ?? job.command.shell, job.outcome, job.exit_code]))
      .toEqual([
        ["host check", null, ["true"], "passed", 0],
        [null, "a", "exit 3", "passed", 3],
      ]);
    expect(manifest.jobs.every((job) => job.finished_at !== null && job.finished_at >= job.started_at)).toBe(true);
    expect(manifest.device_changes.map((change) => [change.operation?.operation, change.undo.map((undo) => undo.action), change.restored]))
      .toEqual([
        ["change", ["set-mtu"], true],
        ["sysctl", ["write-sysctl"], true],
      ]);
    expect(manifest.results).toEqual([{ at: expect.any(String), description: "reachability", verdict: "PASS" }]);
  });
});
