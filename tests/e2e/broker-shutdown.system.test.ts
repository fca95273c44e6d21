import { afterAll, afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VERSION } from "../../src/version.ts";
import { compiledBinary } from "../support/compiled-binary.ts";
import { adminFetch, http } from "../support/http.ts";
import { eventually } from "../support/wait-for.ts";
import { brokerUrl, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { type SseMessage, SseReader } from "../support/sse.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const TOKEN = "lbe_shutdown-test-enrollment-token";
/** "A few seconds": the grace the broker gives open streams, plus process start-up slack. */
const SHUTDOWN_BOUND_MS = 6_000;
const folder = mkdtempSync(join(tmpdir(), "labbroker-shutdown-"));
afterEach(stopAllProcesses);
afterAll(() => rmSync(folder, { recursive: true, force: true }));

async function openStream(url: string): Promise<SseReader> {
  const response = await adminFetch(url, { headers: { accept: "text/event-stream" } });
  expect(response.status).toBe(200);
  return new SseReader(response);
}

describe("a broker stopped with SIGTERM while clients hold streams and polls", () => {
  test(
    "logs 'stopping' at once, ends every stream with a restart event, answers the held poll, exits within the bound, and keeps what it acknowledged",
    async () => {
      const binary = await compiledBinary();
      const args = ["broker", "--port", "0", "--host", "127.0.0.1", "--db", `file:${join(folder, "broker.db")}`, "--enroll-token", TOKEN];
      const broker = startLabbroker(args, { binary });
      const url = await brokerUrl(broker);
      const agent = await http("POST", `${url}/v1/agents/register`, {
        name: "shutdown-host",
        version: VERSION,
        runtimes: [{ name: "native", version: null }],
      }, { authorization: `Bearer ${TOKEN}` });
      expect(agent.status).toBe(201);
      const { agent_id: agentId, agent_token: agentToken } = agent.json;
      const poll = (waitS: number, running: string[] = []) =>
        http("POST", `${url}/v1/agents/${agentId}/poll`, { wait_s: waitS, running }, { authorization: `Bearer ${agentToken}` });

      const active = (await http("POST", `${url}/v1/sessions`, {})).json;
      const waiting = (await http("POST", `${url}/v1/sessions`, {})).json;
      expect([active.state, waiting.state]).toEqual(["active", "waiting"]);
      const topology = uniquelyNamed("name: shutdown\ntopology:\n  nodes:\n    r1: { kind: linux }\n");
      const lab = await http("POST", `${url}/v1/labs`, { session_id: active.id, topology, runtime: "native" });
      expect(lab.status).toBe(202);
      const job = await http("POST", `${url}/v1/sessions/${active.id}/jobs`, { argv: ["true"], background: true });
      expect(job.status).toBe(202);
      // The agent takes the deploy and the job and never reports back: the lab log and the job output stay open.
      const taken = (await poll(0)).json.work.map((work: { id: string }) => work.id);
      expect(taken.length).toBe(2);

      const streams = await Promise.all(
        [`/v1/events`, `/v1/sessions/${waiting.id}/events`, `/v1/labs/${lab.json.id}/logs`, `/v1/jobs/${job.json.id}/output`].map((path) =>
          openStream(`${url}${path}`)
        ),
      );
      const lastSeen = async () => Date.parse((await http("GET", `${url}/v1/hosts/${agentId}`)).json.last_seen_at);
      const seenBeforePoll = await lastSeen();
      const heldPoll = poll(25, taken);
      // A poll is a heartbeat: once the host's last-seen time moves, the broker holds the poll.
      await eventually(async () => (await lastSeen()) > seenBeforePoll, "the held poll to reach the broker");
      const acknowledged = (await http("POST", `${url}/v1/sessions`, {})).json.id;

      const started = performance.now();
      broker.proc.kill("SIGTERM");
      await broker.waitForLog((line) => line.msg === "broker stopping", 1_000);
      const endings = await Promise.all(streams.map((stream) => stream.rest()));
      const answered = await heldPoll;
      const code = await broker.proc.exited;
      const elapsed = performance.now() - started;

      expect(code).toBe(0);
      expect(elapsed).toBeLessThan(SHUTDOWN_BOUND_MS);
      expect([answered.status, answered.json]).toEqual([200, { work: [] }]);
      for (const messages of endings) {
        const last = messages.at(-1) as SseMessage;
        expect(last.event).toBe("broker.restarting");
        expect(JSON.parse(last.data)).toMatchObject({ reason: "shutdown" });
      }
      expect(broker.logs.some((line) => line.msg === "broker stopped")).toBe(true);

      const restarted = startLabbroker(args, { binary });
      const restartedUrl = await brokerUrl(restarted);
      const ids = (await http("GET", `${restartedUrl}/v1/sessions`)).json.items.map((item: { id: string }) => item.id);
      expect(ids).toEqual([active.id, waiting.id, acknowledged]);
    },
    60_000,
  );
});
