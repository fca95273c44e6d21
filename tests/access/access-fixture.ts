import { readFileSync } from "node:fs";
import { join } from "node:path";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, TEST_ADMIN_TOKEN, type TestApp } from "../support/test-broker.ts";

export const PRINCIPALS = ["anonymous", "viewer", "other user", "agent", "owner user", "admin"] as const;
export type PrincipalName = (typeof PRINCIPALS)[number];

/**
 * A broker with one token per role, a host with its agent, and an active session of the "owner
 * user" holding that host, with a background job and a lab: what the routes act on.
 */
export async function accessFixture(): Promise<AccessFixture> {
  const broker = await createTestApp();
  const token = async (name: string, role: string) =>
    (await call(broker, "POST", "/v1/tokens", { body: { name, role } })).json.token as string;
  const secrets = { viewer: await token("viewer", "viewer"), owner: await token("owner", "user"), other: await token("other", "user") };
  const agent = await registerHost(broker, "lab-1");
  const asOwner = { authorization: `Bearer ${secrets.owner}` };
  const session = (await call(broker, "POST", "/v1/sessions", { headers: asOwner, body: {} })).json;
  if (session.state !== "active") throw new Error(`fixture session not active: ${JSON.stringify(session)}`);
  const job =
    (await call(broker, "POST", `/v1/sessions/${session.id}/jobs`, { headers: asOwner, body: { argv: ["true"], background: true } })).json;
  const topology = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
  const lab = (await call(broker, "POST", "/v1/labs", {
    headers: asOwner,
    body: { session_id: session.id, topology, topology_file: "line3.clab.yml" },
  })).json;
  if (!job?.id || !lab?.id) throw new Error(`fixture job or lab missing: ${JSON.stringify({ job, lab })}`);
  const authorization: Record<PrincipalName, string | null> = {
    anonymous: null,
    viewer: `Bearer ${secrets.viewer}`,
    "other user": `Bearer ${secrets.other}`,
    agent: `Bearer ${agent.agent_token}`,
    "owner user": `Bearer ${secrets.owner}`,
    admin: `Bearer ${TEST_ADMIN_TOKEN}`,
  };
  return {
    broker,
    secrets,
    authorization,
    ids: {
      session: session.id,
      job: job.id,
      lab: lab.id,
      agent: agent.agent_id,
      host: agent.agent_id,
      work: job.work_id ?? "unknown-work",
    },
  };
}

export interface AccessFixture {
  broker: TestApp;
  secrets: { viewer: string; owner: string; other: string };
  authorization: Record<PrincipalName, string | null>;
  ids: { session: string; job: string; lab: string; agent: string; host: string; work: string };
}
