import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary } from "../support/compiled-binary.ts";
import { adminFetch, http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { prometheusParserMissing, Scrape } from "../support/prometheus.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const LINE3 = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
const parserMissing = prometheusParserMissing();
const skipReason = !isRoot ? NEEDS_ROOT : parserMissing;

let cluster: LabCluster;
afterEach(async () => {
  await cluster?.stop();
});

async function scrape(): Promise<Scrape> {
  const response = await adminFetch(`${cluster.url}/metrics`);
  expect(response.status).toBe(200);
  return new Scrape(await response.text());
}

describe.skipIf(skipReason !== null)(`/metrics of the compiled broker with an agent process${skipReason ? ` (${skipReason})` : ""}`, () => {
  test("a native lab, a job and a session's end show in the metrics", async () => {
    cluster = new LabCluster(await compiledBinary());
    await cluster.startBroker();
    await cluster.startAgent({ name: "metrics-host" });
    const session = await cluster.session("metrics-host");
    const created = await http("POST", `${cluster.url}/v1/labs`, {
      session_id: session.id,
      topology: uniquelyNamed(LINE3),
      topology_file: "line3.clab.yml",
    });
    expect(created.status).toBe(202);
    await eventually(
      async () => ((await http("GET", `${cluster.url}/v1/labs/${created.json.id}`)).json.state === "running" ? true : null),
      "lab running",
      30_000,
    );
    const job = await http("POST", `${cluster.url}/v1/sessions/${session.id}/jobs`, {
      lab_id: created.json.id,
      node: "a",
      argv: ["ip", "link"],
    });
    expect(job.json).toMatchObject({ state: "finished", passed: true });

    let metrics = await scrape();
    expect(metrics.value("labbroker_sessions", { state: "active" })).toBe(1);
    expect(metrics.histogram("labbroker_lab_deploy_seconds", { runtime: "native", outcome: "running" }).count).toBe(1);
    expect(metrics.value("labbroker_jobs_finished_total", { outcome: "passed" })).toBe(1);
    expect(metrics.value("labbroker_hosts", { state: "online" })).toBe(1);

    await http("DELETE", `${cluster.url}/v1/sessions/${session.id}`);
    await eventually(
      async () => ((await http("GET", `${cluster.url}/v1/labs/${created.json.id}`)).json.state === "inactive" ? true : null),
      "lab gone",
      30_000,
    );
    metrics = await scrape();
    expect(metrics.value("labbroker_sessions_ended_total", { reason: "released" })).toBe(1);
    expect(metrics.histogram("labbroker_lab_destroy_seconds", { runtime: "native" }).count).toBe(1);
    expect(metrics.value("labbroker_host_busy_seconds_total", { host: "metrics-host" })).toBeGreaterThan(0);
    expect(
      metrics.histogram("labbroker_http_request_duration_seconds", { method: "POST", route: "/v1/sessions/:id/jobs", status: "200" }).count,
    ).toBe(1);
  });
});
