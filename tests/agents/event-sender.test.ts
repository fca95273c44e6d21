import { expect, test } from "bun:test";
import { type BrokerClient, BrokerRequestError } from "../../src/agents/broker-client.ts";
import { EventSender } from "../../src/agents/event-sender.ts";
import { systemClock } from "../../src/clock.ts";
import { silentLogger } from "../../src/log.ts";
import type { AgentEventsBody } from "../../src/protocol/agent-schemas.ts";

type Sent = AgentEventsBody["events"];

/** A broker that refuses request bodies over `limitBytes` with 413, as its body limit does, and records what it accepted. */
function brokerWithBodyLimit(limitBytes: number) {
  const accepted: Sent = [];
  const requests: number[] = [];
  const client = {
    async sendEvents(_agentId: string, _token: string, body: AgentEventsBody) {
      const bytes = Buffer.byteLength(JSON.stringify(body));
      requests.push(bytes);
      if (bytes > limitBytes) throw new BrokerRequestError(413, `Request body is larger than the limit of ${limitBytes} bytes`, {});
      accepted.push(...body.events.map((event) => ({ ...event })));
      return { accepted: body.events.length, duplicates: 0 };
    },
  } as Partial<BrokerClient> as BrokerClient;
  return { client, accepted, requests };
}

function sender(client: BrokerClient) {
  return new EventSender(
    client,
    () => ({ agentId: "a", agentToken: "t" }),
    systemClock,
    silentLogger,
    new AbortController().signal,
    () => {},
  );
}

test("a flood of output goes out in batches the broker accepts, in order, nothing lost", async () => {
  const broker = brokerWithBodyLimit(2 * 1024 * 1024);
  const events = sender(broker.client);
  const chunk = "x".repeat(60 * 1024);
  for (let index = 0; index < 100; index++) events.send({ work_id: "w1", type: "output", stream: "stdout", text: chunk });
  events.send({ work_id: "w1", type: "result", ok: true, result: { done: true } });
  await events.flushed();
  expect(broker.accepted.map((event) => event.seq)).toEqual(Array.from({ length: 101 }, (_, index) => index + 1));
  expect(Math.max(...broker.requests)).toBeLessThan(1.1 * 1024 * 1024);
});

test("a broker with a smaller limit gets one event per request; one event it still refuses is replaced under its seq, so nothing behind it waits forever", async () => {
  const broker = brokerWithBodyLimit(256 * 1024);
  const events = sender(broker.client);
  events.send({ work_id: "w1", type: "output", stream: "stdout", text: "y".repeat(60 * 1024) });
  events.send({ work_id: "w1", type: "output", stream: "stdout", text: "z".repeat(60 * 1024) });
  events.send({ work_id: "w1", type: "result", ok: true, result: { stdout: "x".repeat(600 * 1024) } });
  events.send({ work_id: "w2", type: "result", ok: true, result: { small: true } });
  await events.flushed();
  expect(broker.accepted.map((event) => [event.work_id, event.seq, event.type])).toEqual([
    ["w1", 1, "output"],
    ["w1", 2, "output"],
    ["w1", 3, "result"],
    ["w2", 1, "result"],
  ]);
  const replaced = broker.accepted[2]!;
  expect(replaced).toMatchObject({ type: "result", ok: false, result: null });
  expect(replaced.type === "result" && replaced.error).toContain("The result of this work could not be delivered");
  expect(broker.accepted[3]).toMatchObject({ ok: true, result: { small: true } });
});
