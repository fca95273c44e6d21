import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
afterEach(() => broker?.close());

const poll = (agentId: string, token: string) =>
  call(broker, "POST", `/v1/agents/${agentId}/poll`, { headers: { authorization: `Bearer ${token}` }, body: { wait_s: 0 } });

async function endASession() {
  const session = (await call(broker, "POST", "/v1/sessions", { body: {} })).json;
  expect(session.state).toBe("active");
  expect((await call(broker, "DELETE", `/v1/sessions/${session.id}`)).status).toBe(200);
}

test("a session's end rotates the host's agent token: the poll hands the new one, the old one dies when the new one is used", async () => {
  broker = await createTestApp();
  const agent = await registerHost(broker, "lab-1");
  expect((await poll(agent.agent_id, agent.agent_token)).json.agent_token).toBeUndefined();
  await endASession();
  const handed = (await poll(agent.agent_id, agent.agent_token)).json.agent_token as string;
  expect(handed).toStartWith("lba_");
  // A lost answer loses nothing: until the new token is used, the old one works and gets the same new one.
  expect((await poll(agent.agent_id, agent.agent_token)).json.agent_token).toBe(handed);
  expect((await poll(agent.agent_id, handed)).json).toEqual({ work: [] });
  expect((await poll(agent.agent_id, agent.agent_token)).status).toBe(401);
  const rows = await broker.db.client.execute("SELECT agent_token_hash, pending_agent_token_hash FROM hosts");
  expect(JSON.stringify(rows.rows)).not.toContain(handed);
});

test("a second session ending before the agent used its new token rotates again right after, without locking the agent out", async () => {
  broker = await createTestApp({}, ":memory:");
  const agent = await registerHost(broker, "lab-1");
  await endASession();
  const second = (await poll(agent.agent_id, agent.agent_token)).json.agent_token as string;
  await endASession();
  const third = (await poll(agent.agent_id, second)).json.agent_token as string;
  expect(third).toStartWith("lba_");
  expect(third).not.toBe(second);
  expect((await poll(agent.agent_id, third)).status).toBe(200);
  for (const old of [agent.agent_token, second]) expect((await poll(agent.agent_id, old)).status).toBe(401);
});

test("after a broker restart a due rotation is issued afresh (only its hash survived), and an agent holding the lost one still gets in", async () => {
  const folder = mkdtempSync(join(tmpdir(), "labbroker-rotation-"));
  try {
    broker = await createTestApp({}, `file:${join(folder, "broker.db")}`);
    const agent = await registerHost(broker, "lab-1");
    await endASession();
    const delivered = (await poll(agent.agent_id, agent.agent_token)).json.agent_token as string;
    await broker.close();
    broker = await createTestApp({}, `file:${join(folder, "broker.db")}`);
    expect((await poll(agent.agent_id, delivered)).json).toEqual({ work: [] });
    expect((await poll(agent.agent_id, agent.agent_token)).status).toBe(401);
  } finally {
    await broker.close();
    rmSync(folder, { recursive: true, force: true });
  }
});
