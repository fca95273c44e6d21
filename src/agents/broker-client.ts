import type { z } from "zod";
import { MAX_POLL_HOLD_S, POLL_SILENCE_MARGIN_S } from "../protocol/poll-timing.ts";
import type {
  AgentEventsBody,
  LabBundleSchema,
  PollBody,
  PollResponseSchema,
  RegisterAgentBody,
  RegisterAgentResponse,
} from "../protocol/agent-schemas.ts";

/** The broker answered with an error status; `detail` is its problem+json message. */
export class BrokerRequestError extends Error {
  override name = "BrokerRequestError";
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly problem: Record<string, unknown>,
  ) {
    super(`broker answered ${status}: ${detail}`);
  }
}

/** The broker could not be reached (connection refused, reset, timed out). */
export class BrokerUnreachableError extends Error {
  override name = "BrokerUnreachableError";
}

/** Statuses that may come from a proxy or a broker in trouble, or a path a proxy has not routed yet: worth retrying. */
const PASSING_STATUSES = new Set([404, 408, 425, 429]);

/** The broker said no and will say it again (bad token, name clash, wrong version): retrying cannot help. */
export function isDefiniteRefusal(error: unknown): error is BrokerRequestError {
  return error instanceof BrokerRequestError && error.status >= 400 && error.status < 500 && !PASSING_STATUSES.has(error.status);
}

type PollResponse = z.infer<typeof PollResponseSchema>;

/**
 * The agent's side of the broker ↔ agent protocol (types shared with the routes that serve it).
 * Paths are appended to the base URL, so a broker behind a proxy under a prefix
 * (`http://proxy:8081/lb`) works.
 */
export class BrokerClient {
  readonly #base: string;
  readonly #fetch: (input: string, init?: RequestInit) => Promise<Response>;

  /** `fetchImpl`: one that trusts the broker's CA (--ca-file). */
  constructor(
    readonly baseUrl: string,
    fetchImpl: (input: string, init?: RequestInit) => Promise<Response> = (input, init) => fetch(input, init),
  ) {
    this.#base = baseUrl.replace(/\/+$/, "");
    this.#fetch = fetchImpl;
  }

  register(enrollToken: string, body: RegisterAgentBody): Promise<RegisterAgentResponse> {
    return this.#post("/v1/agents/register", enrollToken, body, 30_000);
  }

  poll(agentId: string, agentToken: string, body: PollBody, signal?: AbortSignal): Promise<PollResponse> {
    // No answer this long after the hold should have ended: the connection is dead.
    const holdMs = (body.wait_s ?? MAX_POLL_HOLD_S) * 1000;
    return this.#post(`/v1/agents/${encodeURIComponent(agentId)}/poll`, agentToken, body, holdMs + POLL_SILENCE_MARGIN_S * 1000, signal);
  }

  sendEvents(agentId: string, agentToken: string, body: AgentEventsBody): Promise<{ accepted: number; duplicates: number }> {
    return this.#post(`/v1/agents/${encodeURIComponent(agentId)}/events`, agentToken, body, 30_000);
  }

  labFiles(agentId: string, agentToken: string, labId: string): Promise<z.infer<typeof LabBundleSchema>> {
    return this.#request(
      "GET",
      `/v1/agents/${encodeURIComponent(agentId)}/labs/${encodeURIComponent(labId)}/files`,
      agentToken,
      undefined,
      120_000,
    );
  }

  #post<T>(path: string, token: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    return this.#request("POST", path, token, body, timeoutMs, signal);
  }

  async #request<T>(method: string, path: string, token: string, body: unknown, timeoutMs: number, signal?: AbortSignal): Promise<T> {
    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await this.#fetch(`${this.#base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) {
        throw new BrokerUnreachableError(
          `no answer from the broker at ${this.baseUrl} within ${timeoutMs / 1000} s: the connection is dead or the broker is stuck`,
        );
      }
      throw new BrokerUnreachableError(
        `cannot reach the broker at ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const text = await response.text();
    const parsed = parseBody(text);
    if (!response.ok) throw new BrokerRequestError(response.status, String(parsed.detail ?? response.statusText), parsed);
    return parsed as T;
  }
}

function parseBody(text: string): Record<string, unknown> {
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { detail: text.slice(0, 500) };
  }
}
