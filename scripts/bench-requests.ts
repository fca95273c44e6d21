/**
 * How the benchmarks call a broker: authenticated, and never timing an error. A status the benchmark
 * does not mean to get ends it with the broker's answer, so a benchmark cannot measure 401s unnoticed.
 */

/** The bootstrap admin's token: startBenchBroker hands it to every broker as LABBROKER_ADMIN_TOKEN. */
export const BENCH_ADMIN_TOKEN = "lbt_benchmark-admin-token";
/** The enrollment token every bench broker accepts (`--enroll-token`), for its agents. */
export const BENCH_ENROLL_TOKEN = "lbe_benchmark-enrollment-token";
export const ADMIN_AUTHORIZATION = `Bearer ${BENCH_ADMIN_TOKEN}`;

export class UnexpectedStatusError extends Error {
  override name = "UnexpectedStatusError";
}

export interface BenchRequest {
  method?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** The Authorization header; the bootstrap admin's bearer token when not given. */
  authorization?: string;
  /** The statuses the benchmark means to get; any 2xx when not given. */
  expect?: readonly number[];
}

/** Fails the benchmark unless the response has an expected status (any 2xx by default). */
export async function expectStatus(response: Response, what: string, expect?: readonly number[]): Promise<Response> {
  const expected = expect ? expect.includes(response.status) : response.status >= 200 && response.status < 300;
  if (expected) return response;
  const answer = (await response.text()).slice(0, 500);
  throw new UnexpectedStatusError(`${what} answered ${response.status}, which this benchmark does not measure: ${answer}`);
}

/** One request to a bench broker, checked with expectStatus. */
export async function benchFetch(url: string, request: BenchRequest = {}): Promise<Response> {
  const method = request.method ?? "GET";
  const headers: Record<string, string> = { authorization: request.authorization ?? ADMIN_AUTHORIZATION };
  if (request.body !== undefined) headers["content-type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
  });
  return expectStatus(response, `${method} ${new URL(url).pathname}`, request.expect);
}

export async function benchJson<T>(url: string, request: BenchRequest = {}): Promise<T> {
  return (await (await benchFetch(url, request)).json()) as T;
}

/** A user token, as an admin makes one for a CI job (`labbroker token create NAME --role user`). */
export async function createUserToken(brokerUrl: string, name: string): Promise<string> {
  const { token } = await benchJson<{ token: string }>(`${brokerUrl}/v1/tokens`, { method: "POST", body: { name, role: "user" } });
  return token;
}

export const bearerAuthorization = (token: string) => `Bearer ${token}`;

/** What Python's `requests` sends for `REMOTE_LAB_URL=http://USER:TOKEN@broker` (the Remote Lab clients). */
export const basicAuthorization = (user: string, token: string) => `Basic ${Buffer.from(`${user}:${token}`).toString("base64")}`;
