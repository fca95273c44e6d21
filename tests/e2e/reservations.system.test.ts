import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { compiledBinary } from "../support/compiled-binary.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const LINE3 = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));
let cluster: LabCluster;
afterEach(async () => {
  await cluster?.stop();
});

describe.skipIf(!isRoot)(`reservations with the compiled binary${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test(
    "a reservation 3 s ahead activates at its start (not before, within seconds) and its scheduled lab deploys on the native runtime",
    async () => {
      cluster = new LabCluster(await compiledBinary());
      await cluster.startBroker();
      await cluster.startAgent({ name: "booked" });
      const startAt = new Date(Date.now() + 3000).toISOString();
      const reserved = await http("POST", `${cluster.url}/v1/sessions`, {
        requirements: [{ host: "booked" }],
        walltime_s: 600,
        start_at: startAt,
      });
      expect(reserved.status).toBe(201);
      expect(reserved.json).toMatchObject({ state: "scheduled", start_at: startAt, hosts: { m1: { name: "booked" } } });
      const clash = await http("POST", `${cluster.url}/v1/sessions`, {
        requirements: [{ host: "booked" }],
        walltime_s: 60,
        start_at: new Date(Date.parse(startAt) + 60_000).toISOString(),
      });
      expect(clash.status).toBe(409);
      expect(clash.json.next_start_at).toBe(new Date(Date.parse(startAt) + 600_000).toISOString());

      const lab = await http("POST", `${cluster.url}/v1/labs`, {
        session_id: reserved.json.id,
        topology: LINE3,
        topology_file: "line3.clab.yml",
        start_at: startAt,
      });
      expect(lab.json.state).toBe("scheduled");
      const active = await eventually(
        async () => {
          const current = (await http("GET", `${cluster.url}/v1/sessions/${reserved.json.id}`)).json;
          return current.state === "active" ? current : null;
        },
        "the reservation to start",
        15_000,
      );
      const lateness = Date.parse(active.activated_at) - Date.parse(startAt);
      expect(lateness).toBeGreaterThanOrEqual(0);
      // Housekeeping starts it within 250 ms of its start on the broker's clock (tests/engine/time.test.ts, on the
      // fake clock); here a real process on a shared machine, so the bound only rules out waiting for something else.
      expect(lateness).toBeLessThan(5_000);
      const running = await eventually(
        async () => {
          const current = (await http("GET", `${cluster.url}/v1/labs/${lab.json.id}`)).json;
          return current.state === "running" ? current : null;
        },
        "the scheduled lab to deploy",
        30_000,
      );
      expect(running.devices).toHaveLength(3);
    },
    60_000,
  );
});
