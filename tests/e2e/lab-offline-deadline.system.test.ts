import { afterAll, afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { brokerUrl, listenArgs, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const TOKEN = "lbe_deadline-test-enrollment-token";
const folder = mkdtempSync(join(tmpdir(), "labbroker-deadline-"));
afterEach(stopAllProcesses);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

test("an agent that took a deploy and went offline: the lab fails once the host has been offline past the bound, saying why", async () => {
  // The shortest bounds the broker accepts: offline after 10 s of silence, then 1 s of grace.
  const args = [
    "broker",
    ...listenArgs(join(folder, "broker.db")),
    "--enroll-token",
    TOKEN,
    "--agent-offline-after",
    "10",
    "--offline-grace",
    "1",
  ];
  const broker = startLabbroker(args);
  const url = await brokerUrl(broker);
  const agent = await http("POST", `${url}/v1/agents/register`, {
    name: "deadline-host",
    version: VERSION,
    runtimes: [{ name: "native", version: null }],
  }, { authorization: `Bearer ${TOKEN}` });
  expect(agent.status).toBe(201);
  const session = (await http("POST", `${url}/v1/sessions`, {})).json;
  const lab = await http("POST", `${url}/v1/labs`, {
    session_id: session.id,
    topology: uniquelyNamed("name: deadline\ntopology:\n  nodes:\n    r1: { kind: linux }\n"),
    runtime: "native",
  });
  expect([lab.status, lab.json.state]).toEqual([202, "deploying"]);
  // The agent takes the deploy, then is never heard from again (as after kill -9 or a dead link).
  const taken = await http("POST", `${url}/v1/agents/${agent.json.agent_id}/poll`, { wait_s: 0, running: [] }, {
    authorization: `Bearer ${agent.json.agent_token}`,
  });
  expect(taken.json.work.map((work: { kind: string }) => work.kind)).toEqual(["deploy-lab"]);
  const started = Date.now();

  const failed = await eventually(
    async () => {
      await http("POST", `${url}/v1/sessions/${session.id}/heartbeat`, {});
      const current = (await http("GET", `${url}/v1/labs/${lab.json.id}`)).json;
      return current.state === "failed" ? current : null;
    },
    "the lab to fail",
    30_000,
  );
  expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
  expect(failed.error).toMatch(/^host "deadline-host" has been offline for \d+ s, past the bound of 11 s: the deploy was given up$/);
}, 45_000);
