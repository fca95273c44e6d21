import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { ZodError } from "zod";
import { DomainError } from "../engine/errors.ts";
import { JsonValueSchema } from "./json-value.ts";

/** RFC 9457 problem details, the error shape of every /v1 route. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "about:blank" }),
    title: z.string().openapi({ example: "Not found" }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z.string().openapi({ example: 'Cannot find session "7f3c…"' }),
    instance: z.string().optional(),
    errors: z.array(z.object({ location: z.string(), path: z.string(), message: z.string() })).optional(),
  })
  .catchall(JsonValueSchema.openapi({ description: "An extension member (RFC 9457), such as `retry_after_s`" }))
  .openapi("Problem");

const CompatFieldIssueSchema = z.object({
  type: z.string().openapi({ example: "missing" }),
  loc: z.array(z.string()).openapi({ example: ["header", "x-session-id"] }),
  msg: z.string().openapi({ example: "Field required" }),
  input: JsonValueSchema.optional(),
});

/** The Remote Lab error shape (`{"detail": …}`), kept exactly for existing clients: a message, or FastAPI's list of invalid fields. */
export const CompatErrorSchema = z
  .object({ detail: z.union([z.string(), z.array(CompatFieldIssueSchema)]) })
  .openapi("CompatError");

export type ProblemStatus = 400 | 401 | 403 | 404 | 408 | 409 | 413 | 422 | 423 | 429 | 500 | 503;

const PROBLEM_DESCRIPTIONS: Record<ProblemStatus, string> = {
  400: "The request is malformed or failed validation",
  401: "Missing or wrong credentials",
  403: "Not allowed for this caller",
  404: "No such resource",
  408: "The request body did not arrive within the broker's read deadline",
  409: "Conflicts with the current state",
  413: "The body is larger than the configured limit",
  422: "Understood but cannot be satisfied",
  423: "The resource is held by someone else or not active",
  429: "A bound was reached (the queue is full); retry after the Retry-After header's seconds",
  500: "An unexpected failure inside the broker",
  503: "The broker cannot answer right now",
};

/** OpenAPI response entries for the given error statuses, in one place for every /v1 route. */
export function problemResponses(...statuses: ProblemStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: PROBLEM_DESCRIPTIONS[status], content: { "application/problem+json": { schema: ProblemSchema } } },
    ]),
  );
}

/** OpenAPI response entries for the compat routes' `{"detail"}` errors. */
export function compatErrorResponses(...statuses: ProblemStatus[]) {
  return Object.fromEntries(
    statuses.map((status) => [
      status,
      { description: PROBLEM_DESCRIPTIONS[status], content: { "application/json": { schema: CompatErrorSchema } } },
    ]),
  );
}

const isNativeApi = (path: string) => path === "/v1" || path.startsWith("/v1/");

/** Answers with problem+json on /v1 and `{"detail"}` elsewhere. */
export function errorResponse(
  c: Context,
  status: ProblemStatus,
  title: string,
  detail: string,
  extensions: Record<string, unknown> = {},
): Response {
  if (!isNativeApi(c.req.path)) return c.json({ detail }, status);
  const body = { type: "about:blank", title, status, detail, instance: c.req.path, ...extensions };
  return c.body(JSON.stringify(body), status, { "content-type": "application/problem+json" });
}

export function domainErrorResponse(c: Context, error: DomainError): Response {
  // Remote Lab clients authenticate with HTTP Basic (credentials in REMOTE_LAB_URL); the native API with a bearer token.
  if (error.status === 401) c.header("www-authenticate", isNativeApi(c.req.path) ? 'Bearer realm="labbroker"' : 'Basic realm="labbroker"');
  if (error.retryAfterS !== null) c.header("retry-after", String(Math.ceil(error.retryAfterS)));
  return errorResponse(c, error.status, error.title, error.message, error.extensions);
}

/** One invalid request field, as FastAPI reports it: `loc` is where (`body`, `query`, `header`) and which field. */
export interface FieldIssue {
  type: string;
  loc: [string, ...string[]];
  msg: string;
  input?: unknown;
}

/** A request field the handler found invalid (a multipart form field, a query flag); answered by `fieldIssuesResponse`. */
export class FieldValidationError extends Error {
  override name = "FieldValidationError";
  constructor(readonly issues: FieldIssue[]) {
    super(issues.map((issue) => `${issue.loc.join(".")}: ${issue.msg}`).join("; "));
  }
}

/**
 * Validation failures: 400 problem+json listing every issue on /v1; on compat routes the FastAPI
 * shape existing clients know (422 with a `detail` list of `{type, loc, msg, input}`).
 */
export function fieldIssuesResponse(c: Context, issues: FieldIssue[]): Response {
  if (!isNativeApi(c.req.path)) return c.json({ detail: issues }, 422);
  const errors = issues.map(({ loc: [location, ...path], msg }) => ({ location, path: path.join("."), message: msg }));
  const summary = errors.map((entry) => `${entry.location}${entry.path ? `.${entry.path}` : ""}: ${entry.message}`).join("; ");
  return errorResponse(c, 400, "Invalid request", summary, { errors });
}

export function validationErrorResponse(c: Context, target: string, error: ZodError): Response {
  const location = target === "json" || target === "form" ? "body" : target;
  const issues = error.issues.map((issue): FieldIssue => {
    const loc: FieldIssue["loc"] = [location, ...issue.path.map(String)];
    const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
    return missing ? { type: "missing", loc, msg: "Field required", input: null } : { type: issue.code, loc, msg: issue.message };
  });
  return fieldIssuesResponse(c, issues);
}
