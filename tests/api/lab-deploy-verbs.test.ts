import { afterEach, beforeEach, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
let sessionId: string;
beforeEach(async () => {
  broker = await createTestApp();
  await registerHost(broker, "lab-1");
  sessionId = (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{}] } })).json.id;
});
afterEach(async () => {
  await broker.close();
});

const TOPOLOGY = "name: tiny\ntopology:\n  nodes:\n    a: {kind: linux}\n";
const scheduledLab = async () =>
  (
    await call(broker, "POST", "/v1/labs", {
      body: {
        session_id: sessionId,
        topology: TOPOLOGY,
        topology_file: "tiny.clab.yml",
        extra_files: [{ path: "configs/a.txt", content_base64: Buffer.from("hello").toString("base64") }],
        start_at: new Date(broker.clock.now() + 3_600_000).toISOString(),
      },
    })
  ).json;
const deployWork = (labId: string) =>
  broker.ctx.state.work.openForHost(broker.ctx.state.labs.get(labId)!.hostId).filter((item) =>
    item.kind === "deploy-lab" && item.labId === labId
  );

test("POST /v1/labs/{id}/deploy deploys a scheduled lab now; a lab that is not scheduled is 409; a missing session_id is 400", async () => {
  const lab = await scheduledLab();
  expect(lab.state).toBe("scheduled");
  expect((await call(broker, "POST", `/v1/labs/${lab.id}/deploy`, { body: {} })).json.detail).toContain("session_id");
  const deployed = await call(broker, "POST", `/v1/labs/${lab.id}/deploy`, { body: { session_id: sessionId } });
  expect(deployed.status).toBe(202);
  expect(deployed.json).toMatchObject({ id: lab.id, state: "deploying" });
  expect(deployWork(lab.id)).toHaveLength(1);
  const again = await call(broker, "POST", `/v1/labs/${lab.id}/deploy`, { body: { session_id: sessionId } });
  expect(again.status).toBe(409);
  expect(again.json.detail).toBe("Only a scheduled lab can be deployed now; this one is deploying");
});

test("redeploying an inactive lab deploys a copy: a new lab with the same files on the same host; the old one stays inactive", async () => {
  const lab = await scheduledLab();
  expect((await call(broker, "DELETE", `/v1/labs/${lab.id}`)).json.state).toBe("inactive");
  const copy = await call(broker, "POST", `/v1/labs/${lab.id}/redeploy`, { body: { session_id: sessionId } });
  expect(copy.status).toBe(202);
  expect(copy.json).toMatchObject({ state: "deploying", host_id: lab.host_id, topology_file: "tiny.clab.yml" });
  expect(copy.json.id).not.toBe(lab.id);
  expect(copy.json.instance_name).not.toBe(lab.instance_name);
  const files = await broker.db.client.execute({
    sql: "SELECT path, content FROM lab_files WHERE lab_id = ? ORDER BY path",
    args: [copy.json.id],
  });
  expect(files.rows.map((row) => [row.path, Buffer.from(row.content as ArrayBuffer).toString()])).toEqual([
    ["configs/a.txt", "hello"],
    ["tiny.clab.yml", TOPOLOGY],
  ]);
  expect((await call(broker, "GET", `/v1/labs/${lab.id}`)).json.state).toBe("inactive");
  expect(deployWork(copy.json.id)).toHaveLength(1);
});
