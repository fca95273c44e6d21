import { afterEach, beforeEach, expect, test } from "bun:test";
import { WAIT_DEADLINE_S } from "../../src/routes/jobs/post-job-wait.ts";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";
import { eventually } from "../support/wait-for.ts";

let broker: TestApp;
beforeEach(async () => {
  broker = await createTestApp();
  await registerHost(broker, "h1");
});
afterEach(async () => {
  await broker.close();
});

/** Starts a wait request, lets it reach its timer, moves the fake clock by `seconds` and returns the answer. */
async function waitAcross(path: string, seconds: number) {
  const timers = broker.clock.pendingTimers;
  const answer = call(broker, "POST", path);
  await eventually(() => broker.clock.pendingTimers > timers, "the wait to start its timer");
  broker.clock.advance(seconds * 1000);
  return answer;
}

test("wait?timeout_s=0 waits until the request's deadline, then answers 202 with the unfinished job; its own timeout answers 200", async () => {
  const session = (await call(broker, "POST", "/v1/sessions", { body: { requirements: [{}] } })).json;
  const job = (await call(broker, "POST", `/v1/sessions/${session.id}/jobs`, { body: { shell: "sleep 600", background: true } })).json;
  const untilDone = await waitAcross(`/v1/jobs/${job.id}/wait?timeout_s=0`, WAIT_DEADLINE_S);
  expect(untilDone.status).toBe(202);
  expect(untilDone.json).toMatchObject({ id: job.id, state: "queued" }); // no agent takes it here
  const bounded = await waitAcross(`/v1/jobs/${job.id}/wait?timeout_s=5`, 5);
  expect(bounded.status).toBe(200);
  expect(bounded.json.state).toBe("queued");
});

test("every pattern in the OpenAPI document compiles as a JSON Schema (ECMA-262) pattern; the sysctl key pattern matches keys", async () => {
  const document = (await call(broker, "GET", "/openapi.json")).text;
  const patterns = [...document.matchAll(/"pattern":\s*("(?:[^"\\]|\\.)*")/g)].map((match) => JSON.parse(match[1]!) as string);
  expect(patterns.length).toBeGreaterThan(0);
  for (const pattern of patterns) expect(pattern).not.toMatch(/\/[a-z]*$/);
  const sysctl =
    JSON.parse(document).paths["/v1/sessions/{id}/hosts/{role}/sysctls/{key}"].get.parameters.find((parameter: { name: string }) =>
      parameter.name === "key"
    ).schema.pattern;
  expect(
    ["net.ipv4.ip_forward", "net/ipv4/conf/eth0/rp_filter", "net.ipv6.conf.All.forwarding"].every((key) =>
      new RegExp(sysctl, "u").test(key)
    ),
  ).toBe(true);
  expect(new RegExp(sysctl, "u").test("../etc")).toBe(false);
});
