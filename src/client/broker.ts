import type {
  BrokerEvent,
  ClientInfo,
  CreatedToken,
  CreateSessionBody,
  CreateTokenBody,
  HostCalendar,
  HostPatch,
  HostView,
  JobView,
  LabQuery,
  LabView,
  RequirementInput,
  SessionListItem,
  SessionManifest,
  SessionQuery,
  SessionView,
  TokenView,
  Whoami,
} from "./api-types.ts";
import { type Environment, processEnvironment, resolveBrokerUrl, resolveToken, splitCredentials } from "./environment.ts";
import { BrokerHttp, type FetchLike } from "./http.ts";
import { Job } from "./job.ts";
import { brokerEvents, type EventQuery } from "./broker-events.ts";
import { Lab, listLabs } from "./lab.ts";
import { Session } from "./session.ts";
import type { ActivationWaitOptions } from "./wait-for-activation.ts";
import { warmLabHash, type WarmLabTopology } from "./warm-lab.ts";

export interface LabBrokerOptions {
  /** The broker's URL; without it, LABBROKER_URL or REMOTE_LAB_URL from `env`, then http://localhost:8000. */
  url?: string | undefined;
  /** Environment variables to read the URL and LABBROKER_TOKEN from (nothing is read unless given; see `LabBroker.fromEnvironment`). */
  env?: Environment | undefined;
  /** The API token; without it, LABBROKER_TOKEN from `env`, then credentials in the URL (`http://name:TOKEN@broker`). */
  token?: string | undefined;
  fetch?: FetchLike;
}

/** What one host of a session must be: labels, a runtime, or a pinned host name; and which topology its lab will deploy. */
export type HostRequirement = Omit<RequirementInput, "role" | "warm_lab"> & {
  /**
   * The topology this host's lab will deploy (its content, or `topologyFileHash(path)`): among the free
   * hosts, one holding a warm lab of it is preferred. A preference, never a requirement.
   */
  warmLab?: WarmLabTopology;
};

export interface SessionRequest extends ActivationWaitOptions {
  /** Hosts by role, e.g. `{ m1: { labels: { nic: "mlx5" } }, m2: {} }`; none given (or `{}`): one host of any kind as m1. */
  hosts?: Record<string, HostRequirement>;
  priority?: number;
  client?: ClientInfo;
  /** The same key returns the session it first created instead of queueing another (safe retries). */
  idempotencyKey?: string;
  /** Refuse (422) a session no registered host could ever serve, instead of queueing it. */
  strict?: boolean;
  /** Wait until the session is active (default true). */
  wait?: boolean;
}

/** A client of one broker. Cheap to create; holds no connection. */
export class LabBroker {
  readonly url: string;
  /** The API token requests carry, for processes this one starts on its behalf (the session keeper). */
  readonly token: string | undefined;
  readonly #http: BrokerHttp;

  constructor(options: LabBrokerOptions = {}) {
    const { url, token } = splitCredentials(resolveBrokerUrl(options));
    this.url = url;
    this.token = resolveToken(options, token);
    this.#http = new BrokerHttp(this.url, options.fetch, this.token);
  }

  /** A client for the broker this process's environment names (LABBROKER_URL, else REMOTE_LAB_URL), with its LABBROKER_TOKEN. */
  static fromEnvironment(options: Omit<LabBrokerOptions, "env"> = {}): LabBroker {
    return new LabBroker({ ...options, env: processEnvironment() });
  }

  /**
   * Queues a session and (unless `wait: false`) waits until it is active, reporting position and
   * reason through `onWait`. If waiting fails (timeout, abort, the session ended) the session is
   * cancelled so it does not hold a place in the queue. Use with `await using` to end it on scope exit.
   */
  async session(request: SessionRequest = {}): Promise<Session> {
    const { hosts, priority, client, idempotencyKey, strict, wait, onWait, onReconnect, timeoutS, signal } = request;
    const body: CreateSessionBody = {
      ...(hosts && Object.keys(hosts).length > 0
        ? {
          requirements: Object.entries(hosts).map(([role, { warmLab, ...requirement }]) => ({
            role,
            ...requirement,
            ...(warmLab !== undefined ? { warm_lab: warmLabHash(warmLab) } : {}),
          })),
        }
        : {}),
      ...(priority !== undefined ? { priority } : {}),
      ...(client ? { client } : {}),
    };
    const view = await this.#http.json<SessionView>("POST", "/v1/sessions", {
      json: body,
      query: { strict: strict ? "true" : undefined },
      headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {},
      signal,
    });
    const session = new Session(this.#http, view, true);
    if (wait === false) return session;
    try {
      return await session.waitUntilActive({ onWait, onReconnect, timeoutS, signal });
    } catch (error) {
      await session.end().catch(() => {});
      throw error;
    }
  }

  /** An existing session, kept alive by heartbeats while in use; disposing it leaves it running. */
  async attach(sessionId: string): Promise<Session> {
    return new Session(this.#http, await this.getSession(sessionId), false);
  }

  getSession(sessionId: string): Promise<SessionView> {
    return this.#http.json<SessionView>("GET", `/v1/sessions/${encodeURIComponent(sessionId)}`);
  }

  /** What a session ran on and what it did (the reproducibility manifest); an ended session's never changes. */
  sessionManifest(sessionId: string): Promise<SessionManifest> {
    return this.#http.json<SessionManifest>("GET", `/v1/sessions/${encodeURIComponent(sessionId)}/manifest`);
  }

  /** Ends a session by id; an ended one answers as it is. */
  endSession(sessionId: string): Promise<SessionView> {
    return this.#http.json<SessionView>("DELETE", `/v1/sessions/${encodeURIComponent(sessionId)}`);
  }

  /** Waiting and active sessions in queue order (default), or ended ones newest first. */
  async sessions(query: SessionQuery = {}): Promise<SessionListItem[]> {
    return (await this.#http.json<{ items: SessionListItem[] }>("GET", "/v1/sessions", { query })).items;
  }

  async hosts(): Promise<HostView[]> {
    return (await this.#http.json<{ items: HostView[] }>("GET", "/v1/hosts")).items;
  }

  host(idOrName: string): Promise<HostView> {
    return this.#http.json<HostView>("GET", `/v1/hosts/${encodeURIComponent(idOrName)}`);
  }

  /** Drain, undrain, maintenance (with the reason), labels and capacity of a host. */
  updateHost(idOrName: string, patch: HostPatch): Promise<HostView> {
    return this.#http.json<HostView>("PATCH", `/v1/hosts/${encodeURIComponent(idOrName)}`, { json: patch });
  }

  /** A host's holds and bookings over a window (ISO times; `from` in the past adds the holds that ended since). */
  hostCalendar(idOrName: string, window: { from?: string; to?: string } = {}): Promise<HostCalendar> {
    return this.#http.json<HostCalendar>("GET", `/v1/hosts/${encodeURIComponent(idOrName)}/calendar`, { query: window });
  }

  /** Live labs (filter by session, host id or state), newest first. */
  labs(query: LabQuery = {}): Promise<LabView[]> {
    return listLabs(this.#http, query);
  }

  /** A lab by id, live or past (its logs, state, nodes). */
  async lab(labId: string): Promise<Lab> {
    const view = await this.#http.json<LabView>("GET", `/v1/labs/${encodeURIComponent(labId)}`);
    return new Lab(this.#http, view.session_id, view);
  }

  async job(jobId: string): Promise<Job> {
    return new Job(this.#http, await this.#http.json<JobView>("GET", `/v1/jobs/${encodeURIComponent(jobId)}`));
  }

  /** Who this client is authenticated as. */
  whoami(): Promise<Whoami> {
    return this.#http.json<Whoami>("GET", "/v1/whoami");
  }

  /** Creates an API token (admin); `token` in the answer is the only time the secret is shown. */
  createToken(request: CreateTokenBody): Promise<CreatedToken> {
    return this.#http.json<CreatedToken>("POST", "/v1/tokens", { json: request });
  }

  async tokens(): Promise<TokenView[]> {
    return (await this.#http.json<{ items: TokenView[] }>("GET", "/v1/tokens")).items;
  }

  /** Revokes a token by id or name (admin). */
  revokeToken(idOrName: string): Promise<TokenView> {
    return this.#http.json<TokenView>("DELETE", `/v1/tokens/${encodeURIComponent(idOrName)}`);
  }

  /** A session's jobs, by host and number (an ended session's too). */
  async sessionJobs(sessionId: string): Promise<Job[]> {
    const { items } = await this.#http.json<{ items: JobView[] }>("GET", `/v1/sessions/${encodeURIComponent(sessionId)}/jobs`);
    return items.map((view) => new Job(this.#http, view));
  }

  /** The broker's events (state changes): the last `tail` stored ones, then live ones unless `follow: false`. */
  events(options: EventQuery = {}): AsyncGenerator<BrokerEvent> {
    return brokerEvents(this.#http, options);
  }
}
