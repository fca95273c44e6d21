import { errorFromResponse, LabBrokerError } from "./errors.ts";

/** The part of `fetch` the SDK uses; pass another (a test app's `request`, a proxy-aware fetch) through `LabBroker`. */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type QueryValues = Record<string, string | number | boolean | undefined>;

export interface RequestOptions {
  query?: QueryValues;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is (bytes for file uploads). */
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

/** HTTP to one broker: URLs, JSON in and out, and every non-2xx answer turned into a LabBrokerError. */
export class BrokerHttp {
  readonly baseUrl: string;
  readonly #fetch: FetchLike;
  readonly #token: string | undefined;

  /** `token` goes with every request as `Authorization: Bearer`. */
  constructor(url: string, fetchImpl: FetchLike = (input, init) => fetch(input, init), token?: string) {
    this.baseUrl = url.replace(/\/+$/, "");
    this.#fetch = fetchImpl;
    this.#token = token;
  }

  url(path: string, query: QueryValues = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
    const search = params.toString();
    return `${this.baseUrl}${path}${search ? `?${search}` : ""}`;
  }

  /** Sends a request; resolves with a 2xx response, rejects with a LabBrokerError otherwise. */
  async send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { ...(this.#token ? { authorization: `Bearer ${this.#token}` } : {}), ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    const url = this.url(path, options.query);
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        ...(body !== undefined ? { body } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new LabBrokerError({
        code: "unreachable",
        title: "Broker unreachable",
        detail: `Cannot reach the broker at ${this.baseUrl}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    if (!response.ok) throw await errorFromResponse(response, `${method} ${path}`);
    return response;
  }

  /** Sends a request and parses the JSON answer (undefined for 204). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }
}

/** Whether a request that failed this way may succeed when simply tried again later. */
export function isTransient(error: unknown): boolean {
  return error instanceof LabBrokerError &&
    (error.code === "unreachable" || error.status === 502 || error.status === 503 || error.status === 504);
}
