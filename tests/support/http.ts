import { TEST_ADMIN_TOKEN } from "./test-broker.ts";

/**
 * JSON over real HTTP for multi-process tests, as the test admin unless `headers` bring their own
 * Authorization (`{ authorization: "" }` sends none). Connections are not reused: a test that
 * restarts a broker on the same port would otherwise send its next request down a socket the old
 * one closed.
 */
export async function http(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method,
    keepalive: false,
    headers: {
      authorization: `Bearer ${TEST_ADMIN_TOKEN}`,
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: jsonOrNull(text), text };
}

/** The parsed JSON body, or null when the body is empty or not JSON. */
// deno-lint-ignore no-explicit-any -- tests read any answer's fields directly
export function jsonOrNull(text: string): any {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

/** `fetch` as the test admin, unless `init` brings an Authorization header of its own. */
export function adminFetch(url: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("authorization")) headers.set("authorization", `Bearer ${TEST_ADMIN_TOKEN}`);
  return fetch(url, { ...init, headers });
}
