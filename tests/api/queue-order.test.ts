import { afterEach, beforeEach, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

/**
 * The queue as listed (API; the dashboard's browser test checks the page) is the order the scheduler serves it: priority, then
 * arrival, across pools of different requirements, with one distinct place per waiting session.
 */
let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
  await registerHost(broker, "lab-a", { labels: { site: "east" } });
  await registerHost(broker, "lab-b", { labels: { site: "west" } });
});
afterEach(() => broker.close());

async function create(name: string, body: Record<string, unknown> = {}): Promise<string> {
  const created = await call(broker, "POST", "/v1/sessions", { body: { client: { name }, ...body } });
  if (created.status !== 201) throw new Error(created.text);
  return created.json.id;
}

async function waitingQueue(): Promise<{ name: string; place: number }[]> {
  const listed = await call(broker, "GET", "/v1/sessions?state=waiting");
  return listed.json.items.map((item: { client: { name: string }; queue_position: number }) => ({
    name: item.client.name,
    place: item.queue_position,
  }));
}

test("waiting sessions are listed in the order the scheduler serves them, each with its own place, gang sessions included", async () => {
  const holder = await create("holder", { requirements: [{}, {}] });
  await create("first-any", { requirements: [{}] });
  await create("gang", { requirements: [{}, {}] });
  await create("west", { requirements: [{ labels: { site: "west" } }] });
  const urgentEast = await create("urgent-east", { requirements: [{ labels: { site: "east" } }], priority: 100 });
  await create("urgent-any", { requirements: [{}], priority: 100 });

  const expected = [
    { name: "urgent-east", place: 1 },
    { name: "urgent-any", place: 2 },
    { name: "first-any", place: 3 },
    { name: "gang", place: 4 },
    { name: "west", place: 5 },
  ];
  expect(await waitingQueue()).toEqual(expected);
  const all = await call(broker, "GET", "/v1/sessions");
  expect(all.json.items.map((item: { client: { name: string } }) => item.client.name)).toEqual([
    "holder",
    ...expected.map(({ name }) => name),
  ]);
  expect((await call(broker, "GET", `/v1/sessions/${urgentEast}`)).json).toMatchObject({ state: "waiting", queue_position: 1 });
  expect((await call(broker, "GET", `/v1/sessions/${holder}`)).json).toMatchObject({ state: "active", queue_position: null });

  // The scheduler serves that order: the two urgent ones get the freed hosts, then the next in line.
  await call(broker, "DELETE", `/v1/sessions/${holder}`);
  expect(await waitingQueue()).toEqual([
    { name: "first-any", place: 1 },
    { name: "gang", place: 2 },
    { name: "west", place: 3 },
  ]);
  await call(broker, "DELETE", `/v1/sessions/${urgentEast}`);
  expect(await waitingQueue()).toEqual([
    { name: "gang", place: 1 },
    { name: "west", place: 2 },
  ]);
});
