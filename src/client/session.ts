import type { CreateLabBody, LabView, SessionResultView, SessionSummary, SessionView } from "./api-types.ts";
import { bytesToBase64, type FileContent, toBytes } from "./bytes.ts";
import { type CamelKeys, snakeKeys } from "./case-keys.ts";
import type { LabBrokerError } from "./errors.ts";
import { Heartbeat } from "./heartbeat.ts";
import type { BrokerHttp } from "./http.ts";
import { belongsToSession, Lab, type LabWaitOptions, listLabs } from "./lab.ts";
import { SessionHost } from "./place.ts";
import { type ActivationWaitOptions, waitForActivation } from "./wait-for-activation.ts";

export interface LabOptions extends CamelKeys<Pick<CreateLabBody, "role" | "runtime" | "reuse" | "keep_warm">>, LabWaitOptions {
  /** The topology's file name on the host (`.yml`/`.yaml`; default topology.yml). */
  fileName?: string;
  /** Files placed next to the topology, by relative path (sub-folders allowed). */
  extraFiles?: Record<string, FileContent>;
}

/**
 * A session on the broker. While this object is in use it sends heartbeats in the background.
 * A session this client created is ended by `end()` or when disposed (`await using`); one it only
 * attached to (`broker.attach(id)`) is left running on dispose.
 */
export class Session implements AsyncDisposable {
  readonly #http: BrokerHttp;
  readonly #heartbeat: Heartbeat;
  #view: SessionView;
  #owned: boolean;
  #lost: LabBrokerError | undefined;

  constructor(http: BrokerHttp, view: SessionView, owned: boolean) {
    this.#http = http;
    this.#view = view;
    this.#owned = owned;
    this.#heartbeat = new Heartbeat(
      () => this.#http.json("POST", `${this.#path}/heartbeat`),
      () => Date.parse(this.#view.expires_at ?? "") - Date.parse(this.#view.last_seen_at) || 30_000,
      (error) => (this.#lost = error),
    );
    if (view.state !== "ended") this.#heartbeat.start();
  }

  get id(): string {
    return this.#view.id;
  }
  /** The session as last seen: state, position, why it waits, hosts by role, expiry. */
  get view(): SessionView {
    return this.#view;
  }
  get state(): SessionView["state"] {
    return this.#view.state;
  }
  /** Set when a heartbeat found the session gone (expired or ended elsewhere). */
  get lostBecause(): LabBrokerError | undefined {
    return this.#lost;
  }

  get #path(): string {
    return `/v1/sessions/${encodeURIComponent(this.id)}`;
  }

  async refresh(): Promise<SessionView> {
    this.#view = await this.#http.json<SessionView>("GET", this.#path);
    return this.#view;
  }

  /** Waits for a waiting session to become active (see ActivationWaitOptions). */
  async waitUntilActive(options: ActivationWaitOptions = {}): Promise<this> {
    this.#view = await waitForActivation(this.#http, this.#view, options);
    return this;
  }

  /** The host held for `role` (the first role by default). */
  host(role: string = this.#view.requirements[0]?.role ?? "m1"): SessionHost {
    return new SessionHost(this.#http, this.id, role);
  }

  /** Deploys a topology (or reuses the same running one, or takes a warm one) and resolves once it runs. */
  async lab(topology: string, options: LabOptions = {}): Promise<Lab> {
    const { fileName, extraFiles, onLog, timeoutS, signal, ...rest } = options;
    const view = await this.#http.json<LabView>("POST", "/v1/labs", {
      json: {
        session_id: this.id,
        topology,
        topology_file: fileName,
        extra_files: Object.entries(extraFiles ?? {}).map(([path, content]) => ({ path, content_base64: bytesToBase64(toBytes(content)) })),
        ...snakeKeys(rest),
      },
      signal,
    });
    const lab = new Lab(this.#http, this.id, view);
    // A reused or warm lab runs already: its old deploy log is not this call's story.
    return view.state === "running" ? lab : lab.waitUntilRunning({ onLog, timeoutS, signal });
  }

  /** The live labs this session deployed or holds (a reused lab was deployed by another), newest first. */
  async labs(): Promise<Lab[]> {
    const live = await listLabs(this.#http, { limit: 1000 });
    return live.filter((view) => belongsToSession(view, this.id)).map((view) => new Lab(this.#http, this.id, view));
  }

  /** Per host, every job with its number, description, PASS/FAIL and result; and the timeline of jobs and recorded results. */
  summary(): Promise<SessionSummary> {
    return this.#http.json<SessionSummary>("GET", `${this.#path}/summary`);
  }

  /** The summary as text: grouped per host, or one line per event in time order (LNST's log). */
  async summaryText(view: "hosts" | "chronological" = "hosts"): Promise<string> {
    return (await this.#http.send("GET", `${this.#path}/summary`, { query: { format: "text", view } })).text();
  }

  /** Records a result of the test's own beside its jobs (LNST's custom result). */
  recordResult(description: string, result: "PASS" | "FAIL", data?: unknown): Promise<SessionResultView> {
    return this.#http.json<SessionResultView>("POST", `${this.#path}/results`, {
      json: { description, result, ...(data === undefined ? {} : { data }) },
    });
  }

  /** Ends the session (its labs are released, its hosts go to the next in line). Ending twice is harmless. */
  async end(): Promise<SessionView> {
    this.#heartbeat.stop();
    this.#owned = false;
    this.#view = await this.#http.json<SessionView>("DELETE", this.#path);
    return this.#view;
  }

  /** Stops heartbeats and leaves the session running (for a CLI that hands it on to later commands). */
  detach(): void {
    this.#heartbeat.stop();
    this.#owned = false;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#owned) await this.end();
    else this.detach();
  }
}
