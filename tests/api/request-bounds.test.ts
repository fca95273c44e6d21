import { describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { appsWithLimits, type TestApp } from "../support/test-broker.ts";
import { eventually } from "../support/wait-for.ts";

const testApp = appsWithLimits();

const sessionCount = async (app: TestApp) => (await call(app, "GET", "/v1/sessions")).json.items.length;

/** A body that sends `first` at once and then nothing until `release` is called. */
function trickle(first: string) {
  let release: () => void = () => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(first));
      release = () => {
        controller.enqueue(new TextEncoder().encode("}"));
        controller.close();
      };
    },
  });
  return { body, release: () => release() };
}

const post = (app: TestApp, path: string, body: BodyInit, headers: Record<string, string> = {}) =>
  app.app.request(
    path,
    { method: "POST", body, headers: { "content-type": "application/json", ...headers }, duplex: "half" } as RequestInit,
  );

describe("request body bounds", () => {
  test("a declared Content-Length over the route's limit is 413 before any byte is read", async () => {
    const app = await testApp({ maxBodyBytes: 1_000 });
    let pulled = false;
    const body = new ReadableStream<Uint8Array>(
      {
        pull() {
          pulled = true;
        },
      },
      { highWaterMark: 0 },
    );
    const response = await post(app, "/v1/sessions", body, { "content-length": "5000" });
    expect(response.status).toBe(413);
    expect(pulled).toBe(false);
    expect(await sessionCount(app)).toBe(0);
  });

  test("a body without Content-Length is counted as it arrives and cut at the limit", async () => {
    const app = await testApp({ maxBodyBytes: 1_000 });
    const big = new Blob([JSON.stringify({ requirements: [{ role: "x".repeat(2_000) }] })]).stream();
    const response = await post(app, "/v1/sessions", big);
    expect(response.status).toBe(413);
    expect((await response.json()).detail).toBe("Request body is larger than the limit of 1000 bytes");
    expect(await sessionCount(app)).toBe(0);
  });

  test("upload routes take the upload limit from the route table; other routes the body limit", async () => {
    const app = await testApp({ maxBodyBytes: 1_000, maxUploadBytes: 100_000 });
    const { agent_id: agentId } = await registerHost(app, "bounds-host");
    const padding = "x".repeat(5_000);
    // Past the size check, an upload route answers for itself (here: the token is missing).
    const upload = await call(app, "POST", `/v1/agents/${agentId}/events`, { body: { events: [], padding } });
    expect(upload.status).not.toBe(413);
    const ordinary = await call(app, "POST", "/v1/sessions", { body: { padding } });
    expect(ordinary.status).toBe(413);
    const document = (await call(app, "GET", "/openapi.json")).json;
    expect(document.paths["/v1/agents/{id}/events"].post["x-body-limit"]).toBe("upload");
    expect(document.paths["/v1/sessions"].post["x-body-limit"]).toBeUndefined();
  });

  test("a body that trickles is cut with 408 once the read deadline passes, and nothing is stored", async () => {
    const app = await testApp({ bodyTimeoutMs: 10_000 });
    const { body } = trickle('{"requirements":[{"role":"slow"}]');
    const answer = post(app, "/v1/sessions", body);
    await eventually(() => app.clock.pendingTimers === 1, "the body read to wait");
    app.clock.advance(10_000);
    const response = await answer;
    expect(response.status).toBe(408);
    expect((await response.json()).detail).toBe("The request body did not arrive within 10 s");
    expect(await sessionCount(app)).toBe(0);
  });

  test("bodies beyond the in-memory budget are refused with 503 and Retry-After; the budget frees when requests end", async () => {
    const app = await testApp({ maxBodiesInMemoryBytes: 80 });
    const held = trickle(`{"requirements":[{"role":"${"a".repeat(20)}"}]`);
    const first = post(app, "/v1/sessions", held.body, { "content-length": "50" });
    await eventually(() => app.clock.pendingTimers === 1, "the first body to be read");
    const refused = await post(app, "/v1/sessions", JSON.stringify({ requirements: [{ role: "b".repeat(20) }] }));
    expect([refused.status, refused.headers.get("retry-after")]).toEqual([503, "2"]);
    held.release();
    expect((await first).status).toBe(201);
    const accepted = await post(app, "/v1/sessions", JSON.stringify({ requirements: [{ role: "b".repeat(20) }] }));
    expect(accepted.status).toBe(201);
  });
});
