import { afterAll, describe, expect, test } from "bun:test";
import { ACCESS_RULES, type AccessRule, accessRuleFor } from "../../src/routes/access/access-rules.ts";
import { buildOpenApiDocument } from "../../src/routes/system/openapi-document.ts";
import { TEST_ENROLL_TOKEN } from "../support/test-engine.ts";
import { VERSION } from "../../src/version.ts";
import { jsonOrNull } from "../support/http.ts";
import { type AccessFixture, accessFixture, type PrincipalName, PRINCIPALS } from "./access-fixture.ts";

/**
 * Every operation of the OpenAPI document, called as each kind of caller, against the rule
 * access-rules.ts declares for it. A route without a rule fails here, and so does a rule that
 * stops holding. "Allowed" means authorization let it through: any answer but 401 and 403 (and,
 * for what belongs to a session, but the 404 another user gets), or an answer still pending because
 * the handler is doing the work (a held poll, a device operation waiting for the agent).
 */
const documentFixture = await accessFixture();
const document = buildOpenApiDocument(documentFixture.broker.anonymousApp) as unknown as { paths: Record<string, Record<string, unknown>> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.keys(methods).map((method) => ({ method: method.toUpperCase(), path }))
);
afterAll(() => documentFixture.broker.close());

type Outcome = { status: number; detail: string } | "pending";
const PENDING_AFTER_MS = 300;

test("every operation of the API has an access rule, and every rule an operation", () => {
  expect(operations.filter(({ method, path }) => !accessRuleFor(method, path)).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  expect(Object.keys(ACCESS_RULES).filter((key) => !operations.some(({ method, path }) => `${method} ${path}` === key))).toEqual([]);
});

describe.each(operations)("$method $path", ({ method, path }) => {
  const rule = accessRuleFor(method, path)!;
  test.skipIf(!rule)(`${rule?.access ?? "no rule"}: each caller gets what the rule says`, async () => {
    // The owner's and the admin's calls get fixtures of their own: they may end the session.
    const refused = await accessFixture();
    const forOwner = await accessFixture();
    const forAdmin = await accessFixture();
    try {
      const outcomes = {} as Record<PrincipalName, Outcome>;
      for (const principal of PRINCIPALS) {
        const fixture = principal === "owner user" ? forOwner : principal === "admin" ? forAdmin : refused;
        outcomes[principal] = await send(fixture, method, path, principal, rule);
      }
      const refusal = outcomes["other user"];
      const verdicts = Object.fromEntries(
        PRINCIPALS.map((principal) => [principal, matches(expectation(rule, principal), outcomes[principal], refusal)]),
      );
      expect({ outcomes, verdicts }).toEqual({ outcomes, verdicts: Object.fromEntries(PRINCIPALS.map((principal) => [principal, true])) });
    } finally {
      await Promise.all([refused, forOwner, forAdmin].map((fixture) => fixture.broker.close()));
    }
  });
});

type Expectation = 401 | 403 | 404 | "allowed" | "allowed, as its own";

function expectation(rule: AccessRule, principal: PrincipalName): Expectation {
  if (rule.access === "open") return "allowed";
  if (rule.access === "agent" || rule.access === "enroll") return principal === "agent" ? "allowed" : 401;
  if (principal === "anonymous" || principal === "agent") return 401;
  if (rule.access === "viewer") return "allowed";
  if (principal === "viewer") return 403;
  if (rule.access === "admin") return principal === "admin" ? "allowed" : 403;
  if (rule.access === "user") return "allowed";
  return principal === "other user" ? 404 : "allowed, as its own";
}

/** `refusal`: what another user got; the owner and admins must not get that same 404 (a 404 of the handler's own, "No lab running", is fine). */
function matches(expected: Expectation, outcome: Outcome, refusal: Outcome): boolean {
  if (outcome === "pending") return expected === "allowed" || expected === "allowed, as its own";
  if (expected === "allowed") return outcome.status !== 401 && outcome.status !== 403;
  if (expected === "allowed, as its own") {
    return outcome.status !== 401 && outcome.status !== 403 &&
      !(refusal !== "pending" && outcome.status === 404 && outcome.detail === refusal.detail);
  }
  return outcome.status === expected;
}

async function send(
  fixture: AccessFixture,
  method: string,
  template: string,
  principal: PrincipalName,
  rule: AccessRule,
): Promise<Outcome> {
  const { ids } = fixture;
  const params: Record<string, string> = {
    session_id: ids.session,
    lab_id: ids.lab,
    role: "m1",
    device: "eth0",
    key: "net.ipv4.ip_forward",
    node: "a",
    asset: "swagger-ui.css",
    id: idFor(template, fixture),
  };
  const path = template.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? name));
  const headers = new Headers({ "x-session-id": ids.session });
  const secret = rule.access === "enroll" && principal === "agent" ? `Bearer ${TEST_ENROLL_TOKEN}` : fixture.authorization[principal];
  if (secret) headers.set("authorization", secret);
  const { body, query } = sampleRequest(method, template, fixture, principal, headers);
  const abort = new AbortController();
  const answer = fixture.broker.anonymousApp.request(`${path}${query}`, {
    method,
    headers,
    signal: abort.signal,
    ...(body !== undefined ? { body } : {}),
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const outcome = await Promise.race([
    Promise.resolve(answer).then(async (response): Promise<Outcome> => {
      const streaming = (response.headers.get("content-type") ?? "").startsWith("text/event-stream");
      if (streaming) await response.body?.cancel();
      const text = streaming ? "" : await response.text();
      return { status: response.status, detail: String(jsonOrNull(text)?.detail ?? text.slice(0, 200)) };
    }),
    new Promise<Outcome>((resolve) => (timer = setTimeout(() => resolve("pending"), PENDING_AFTER_MS))),
  ]);
  clearTimeout(timer);
  abort.abort();
  return outcome;
}

function idFor(template: string, { ids, secrets }: AccessFixture): string {
  if (template.startsWith("/v1/sessions/")) return ids.session;
  if (template.startsWith("/v1/jobs/")) return ids.job;
  if (template.startsWith("/v1/labs/")) return ids.lab;
  if (template.startsWith("/v1/agents/")) return ids.agent;
  if (template.startsWith("/v1/hosts/")) return ids.host;
  if (template.startsWith("/v1/tokens/")) return secrets.viewer.length > 0 ? "viewer" : "";
  return ids.work;
}

/** A body and query each operation accepts, or one it refuses quickly (400/422) where doing the work would take long. */
function sampleRequest(
  method: string,
  template: string,
  { ids, secrets }: AccessFixture,
  principal: PrincipalName,
  headers: Headers,
): { body?: BodyInit; query: string } {
  const json = (value: unknown) => {
    headers.set("content-type", "application/json");
    return { body: JSON.stringify(value), query: "" };
  };
  switch (`${method} ${template}`) {
    case "POST /v1/agents/{id}/poll":
      return json({ wait_s: 0 });
    case "POST /v1/agents/register":
      return json({ name: "lab-new", version: VERSION, runtimes: [] });
    case "POST /v1/sessions/{id}/jobs":
      return json({ argv: ["true"], background: true });
    case "POST /v1/jobs/{id}/wait":
      return { query: "?timeout_s=0.01" };
    case "POST /v1/login":
      return json({ token: secrets.owner });
    case "POST /v1/tokens":
      return json({ name: `made-by-${principal.replace(" ", "-")}`, role: "viewer" });
    case "POST /v1/labs":
      return json({ session_id: ids.session, topology: "name: x\n" });
    case "POST /v1/labs/{id}/release":
    case "POST /v1/labs/{id}/redeploy":
    case "POST /v1/labs/{id}/deploy":
      return json({ session_id: ids.session });
    case "GET /v1/sessions/{id}/hosts/{role}/files":
      return { query: "?path=/tmp/labbroker-matrix" };
    case "PUT /v1/sessions/{id}/hosts/{role}/files":
      headers.set("content-type", "application/octet-stream");
      return { body: "x", query: "?path=/tmp/labbroker-matrix" };
    case "POST /lab": {
      // Without a topology: refused with 422 after authorization, before any deploy.
      const form = new FormData();
      form.append("reuse", "true");
      return { body: form, query: "" };
    }
  }
  return method === "GET" || method === "DELETE" ? { query: "" } : json({});
}
