import type { LabView, SessionView } from "./api-types.ts";

/** What went wrong, for callers that branch on it without parsing messages. */
export type LabBrokerErrorCode =
  | "invalid"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "too-large"
  | "unprocessable"
  | "locked"
  | "server"
  | "unavailable"
  | "http"
  | "unreachable"
  | "timeout"
  | "lab-failed"
  | "session-ended";

const CODE_BY_STATUS: Record<number, LabBrokerErrorCode> = {
  400: "invalid",
  401: "unauthorized",
  403: "forbidden",
  404: "not-found",
  409: "conflict",
  413: "too-large",
  422: "unprocessable",
  423: "locked",
  500: "server",
  503: "unavailable",
};

export interface LabBrokerErrorInit {
  code: LabBrokerErrorCode;
  title: string;
  detail: string;
  /** The HTTP status, or null when the error arose in the client (timeout, unreachable broker). */
  status?: number | null;
  /** The whole problem document the broker sent, with its extensions. */
  problem?: Record<string, unknown> | null;
}

/** Every failure the SDK reports: the broker's own message (`detail`), its status and title, and a `code`. */
export class LabBrokerError extends Error {
  override name = "LabBrokerError";
  readonly code: LabBrokerErrorCode;
  readonly status: number | null;
  readonly title: string;
  readonly detail: string;
  readonly problem: Record<string, unknown> | null;

  constructor(init: LabBrokerErrorInit) {
    super(init.detail);
    this.code = init.code;
    this.status = init.status ?? null;
    this.title = init.title;
    this.detail = init.detail;
    this.problem = init.problem ?? null;
  }
}

/** Waiting (for a session, a lab or a job) took longer than the caller allowed. */
export class WaitTimeoutError extends LabBrokerError {
  override name = "WaitTimeoutError";
  constructor(detail: string) {
    super({ code: "timeout", title: "Timed out", detail });
  }
}

/** A lab ended `failed` (or was torn down) instead of running; `lab.error` says why. */
export class LabFailedError extends LabBrokerError {
  override name = "LabFailedError";
  readonly lab: LabView;
  constructor(lab: LabView, detail: string) {
    super({ code: "lab-failed", title: "Lab failed", detail });
    this.lab = lab;
  }
}

/** The session ended (expired, cancelled, host lost) while the caller still needed it. */
export class SessionEndedError extends LabBrokerError {
  override name = "SessionEndedError";
  readonly session: SessionView;
  constructor(session: SessionView, detail: string) {
    super({ code: "session-ended", title: "Session ended", detail });
    this.session = session;
  }
}

/**
 * The error for a non-2xx response: problem+json on /v1, `{"detail": …}` on the Remote Lab routes,
 * plain text from anything else in between (a proxy, say).
 */
export async function errorFromResponse(response: Response, what: string): Promise<LabBrokerError> {
  const text = await response.text().catch(() => "");
  const body = parseJsonObject(text);
  const code = CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? "server" : "http");
  const title = typeof body?.title === "string" ? body.title : response.statusText || `HTTP ${response.status}`;
  const detail = typeof body?.detail === "string"
    ? body.detail
    : body?.detail !== undefined
    ? JSON.stringify(body.detail)
    : text.trim() || `${what} answered ${response.status}`;
  return new LabBrokerError({ code, title, detail, status: response.status, problem: body });
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
