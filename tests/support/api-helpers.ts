import { jsonOrNull } from "./http.ts";
import type { TestApp } from "./test-broker.ts";
import { TEST_ENROLL_TOKEN } from "./test-engine.ts";
import { VERSION } from "../../src/version.ts";

/** JSON request helper over `app.request()`. */
export async function call(
  broker: TestApp,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await broker.app.request(path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, json: jsonOrNull(text), text, headers: response.headers };
}

/** Registers a host through the agent API, as an agent would. */
export async function registerHost(broker: TestApp, name: string, extra: Record<string, unknown> = {}) {
  const response = await call(broker, "POST", "/v1/agents/register", {
    headers: { authorization: `Bearer ${TEST_ENROLL_TOKEN}` },
    body: { name, version: VERSION, runtimes: [{ name: "native", version: null }], ...extra },
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${response.text}`);
  return response.json as { agent_id: string; agent_token: string; reattached: boolean };
}
