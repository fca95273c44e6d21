import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

/** The read endpoints the dashboard and the admin commands use: calendar history, session search, usage series. */
let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
  await registerHost(broker, "lab-a");
  await registerHost(broker, "lab-b", { capacity: 2 });
});
afterEach(() => broker.close());

const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function create(name: string, body: Record<string, unknown> = {}): Promise<string> {
  const created = await call(broker, "POST", "/v1/sessions", { body: { client: { name, ci_job_id: `job-${name}` }, ...body } });
  if (created.status !== 201) throw new Error(created.text);
  return created.json.id;
}

describe("GET /v1/hosts/{id}/calendar", () => {
  test("a window reaching into the past lists the holds that ended in it, then the current hold and the bookings", async () => {
    const start = broker.clock.now();
    const early = await create("early", { requirements: [{ host: "lab-a" }] });
    broker.clock.advance(30 * MINUTE);
    await call(broker, "DELETE", `/v1/sessions/${early}`);
    const current = await create("current", { requirements: [{ host: "lab-a" }], walltime_s: 3600 });
    const booked = await create("booked", { requirements: [{ host: "lab-a" }], walltime_s: 600, start_at: iso(start + 5 * 3_600_000) });
    await create("elsewhere", { requirements: [{ host: "lab-b" }] });

    const past = await call(broker, "GET", `/v1/hosts/lab-a/calendar?from=${iso(start - 3_600_000)}`);
    expect(past.status).toBe(200);
    expect(past.json.entries).toEqual([
      {
        session_id: early,
        kind: "hold",
        from: iso(start),
        to: iso(start + 30 * MINUTE),
        ended: true,
        client: { name: "early", ci_job_id: "job-early" },
      },
      {
        session_id: current,
        kind: "hold",
        from: iso(start + 30 * MINUTE),
        to: iso(start + 90 * MINUTE),
        ended: false,
        client: { name: "current", ci_job_id: "job-current" },
      },
      {
        session_id: booked,
        kind: "booking",
        from: iso(start + 5 * 3_600_000),
        to: iso(start + 5 * 3_600_000 + 10 * MINUTE),
        ended: false,
        client: { name: "booked", ci_job_id: "job-booked" },
      },
    ]);
    const fromNow = await call(broker, "GET", "/v1/hosts/lab-a/calendar");
    expect(fromNow.json.entries.map((entry: { session_id: string }) => entry.session_id)).toEqual([current, booked]);
    expect((await call(broker, "GET", "/v1/hosts/lab-a/calendar?from=yesterday")).status).toBe(400);
  });
});

describe("GET /v1/sessions?q=", () => {
  test("finds live and ended sessions by id, client name, CI job id, end reason or host name, in any case", async () => {
    const ended = await create("nightly-ospf", { requirements: [{ host: "lab-b" }] });
    await call(broker, "DELETE", `/v1/sessions/${ended}`);
    const live = await create("smoke", { requirements: [{ host: "lab-a" }] });
    const search = async (q: string, state = "ended") =>
      (await call(broker, "GET", `/v1/sessions?state=${state}&q=${encodeURIComponent(q)}`)).json.items.map((item: { id: string }) =>
        item.id
      );
    expect(await search("OSPF")).toEqual([ended]);
    expect(await search("job-nightly")).toEqual([ended]);
    expect(await search("released")).toEqual([ended]);
    expect(await search("lab-b")).toEqual([ended]);
    expect(await search(ended.slice(-6))).toEqual([ended]);
    expect(await search("%")).toEqual([]);
    expect(await search("lab-a", "active")).toEqual([live]);
    expect(await search("nightly", "active")).toEqual([]);
  });
});

describe("GET /v1/stats/usage", () => {
  test("host utilisation and queue depth per bucket and the wait-time distribution, from the stored sessions", async () => {
    const start = broker.clock.now();
    const holder = await create("holder", { requirements: [{ host: "lab-a" }] });
    const waiter = await create("waiter", { requirements: [{ host: "lab-a" }] });
    broker.clock.advance(30 * MINUTE);
    await call(broker, "DELETE", `/v1/sessions/${holder}`);
    expect((await call(broker, "GET", `/v1/sessions/${waiter}`)).json.state).toBe("active");
    broker.clock.advance(30 * MINUTE);
    await call(broker, "DELETE", `/v1/sessions/${waiter}`);
    broker.clock.advance(30 * MINUTE);

    const usage = await call(broker, "GET", `/v1/stats/usage?from=${iso(start)}&to=${iso(start + 2 * 3_600_000)}&bucket_s=1800`);
    expect(usage.status).toBe(200);
    expect(usage.json.times).toEqual([0, 1, 2, 3].map((index) => iso(start + index * 30 * MINUTE)));
    expect(usage.json.hosts).toEqual([
      { name: "lab-a", busy: [1, 1, 0, null] },
      { name: "lab-b", busy: [0, 0, 0, null] },
    ]);
    expect(usage.json.queue_depth).toEqual([1, 0, 0, null]);
    expect(usage.json.waits).toMatchObject({ count: 2, median_s: 1800, p90_s: 1800 });
    expect(usage.json.waits.bins.find((bin: { up_to_s: number }) => bin.up_to_s === 10).count).toBe(1);
    expect(usage.json.waits.bins.find((bin: { up_to_s: number }) => bin.up_to_s === 1800).count).toBe(1);
    expect(usage.json.partial).toBe(false);

    for (
      const query of [
        `from=${iso(start)}&to=${iso(start)}`,
        `from=${iso(start - 40 * 86_400_000)}&to=${iso(start)}`,
        "bucket_s=60&from=" + iso(start - 2 * 86_400_000),
        "bucket_s=5",
      ]
    ) {
      expect((await call(broker, "GET", `/v1/stats/usage?${query}`)).status).toBe(400);
    }
  });
});
