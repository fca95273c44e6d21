import { afterEach, beforeEach, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
let agent: { agent_id: string; agent_token: string };
beforeEach(async () => {
  broker = await createTestApp();
  agent = await registerHost(broker, "lab-1");
});
afterEach(async () => {
  await broker.close();
});

const TINY = "name: tiny\ntopology:\n  nodes:\n    a: {kind: linux}\n";

/** Plays the agent: takes the queued work and reports it done. */
async function agentCompletesWork(result: Record<string, unknown>) {
  const headers = { authorization: `Bearer ${agent.agent_token}` };
  const { work } = (await call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, { headers, body: { running: [], wait_s: 0 } }))
    .json as { work: { id: string }[] };
  const events = work.map((item) => ({ work_id: item.id, seq: 1, type: "result", ok: true, result }));
  await call(broker, "POST", `/v1/agents/${agent.agent_id}/events`, { headers, body: { events } });
}

test("a lab deployed again in the same second as an earlier one that is gone gets its own instance name", async () => {
  const session = (await call(broker, "POST", "/v1/sessions", { body: {} })).json as { id: string };
  const first = await call(broker, "POST", "/v1/labs", { body: { session_id: session.id, topology: TINY } });
  await agentCompletesWork({ nodes: [] });
  await call(broker, "DELETE", `/v1/labs/${first.json.id}`);
  await agentCompletesWork({ destroyed: first.json.instance_name });
  expect((await call(broker, "GET", `/v1/labs/${first.json.id}`)).json.state).toBe("inactive");

  // The clock has not moved: the same `<name>-<seconds>` is due again, but the inactive lab keeps it.
  const second = await call(broker, "POST", "/v1/labs", { body: { session_id: session.id, topology: TINY } });
  expect(second.status).toBe(202);
  expect(second.json.instance_name).toBe(`${first.json.instance_name}-2`);
});
