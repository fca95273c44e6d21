import type { LabDevice, LabNodeInfo, LabQuery, LabView, OutputChunk } from "./api-types.ts";
import { LabFailedError, WaitTimeoutError } from "./errors.ts";
import type { BrokerHttp } from "./http.ts";
import { outputChunks, type OutputOptions } from "./job.ts";
import { LabNode } from "./place.ts";
import { deadlineSignal } from "./timing.ts";

export interface LabWaitOptions {
  /** Receives every deploy (or destroy) output line as it happens. */
  onLog?: ((chunk: OutputChunk) => void) | undefined;
  /** Give up waiting after this long with a WaitTimeoutError (the lab itself carries on). */
  timeoutS?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** Live labs (or, with `state: "inactive"`, past ones), newest first. */
export async function listLabs(http: BrokerHttp, query: LabQuery): Promise<LabView[]> {
  return (await http.json<{ items: LabView[] }>("GET", "/v1/labs", { query })).items;
}

/** Whether the session deployed the lab or holds it (a reused lab was deployed by another session). */
export function belongsToSession(lab: LabView, sessionId: string): boolean {
  return lab.session_id === sessionId || lab.holders.includes(sessionId);
}

/** A lab of a session. `nodes`, `devices` and `state` are as of the latest view; `refresh` updates it. */
export class Lab {
  readonly #http: BrokerHttp;
  readonly sessionId: string;
  #view: LabView;
  /** The last log line this object has read, so waiting for a destroy does not replay the deploy. */
  #logCursor = 0;

  constructor(http: BrokerHttp, sessionId: string, view: LabView) {
    this.#http = http;
    this.sessionId = sessionId;
    this.#view = view;
  }

  get id(): string {
    return this.#view.id;
  }
  get view(): LabView {
    return this.#view;
  }
  get state(): LabView["state"] {
    return this.#view.state;
  }
  /** Why the lab failed, as the runtime said it. */
  get error(): string | null {
    return this.#view.error;
  }
  /** Remote Lab's device list: every node's name and raw runtime data (management address, ansible_* keys). */
  get devices(): LabDevice[] {
    return this.#view.devices;
  }
  get nodes(): LabNodeInfo[] {
    return this.#view.nodes as LabNodeInfo[];
  }
  /** Whether the lab goes warm (reset, kept deployed for the next session asking for it) instead of being destroyed when no session holds it. */
  get keepWarm(): boolean {
    return this.#view.keep_warm;
  }
  /** While warm (held by no session): when it is destroyed unless a session takes it. */
  get warmUntil(): Date | null {
    return this.#view.warm_until === null ? null : new Date(this.#view.warm_until);
  }

  /** A node to run jobs in and change devices of. */
  node(name: string): LabNode {
    return new LabNode(this.#http, this.sessionId, this.id, name, this.nodes.find((node) => node.name === name));
  }

  async refresh(): Promise<LabView> {
    this.#view = await this.#http.json<LabView>("GET", `/v1/labs/${encodeURIComponent(this.id)}`);
    return this.#view;
  }

  /** Deploy and destroy output, per node, from the start (or after `after`) until the lab settles. */
  logs(options: OutputOptions = {}): AsyncGenerator<OutputChunk> {
    return outputChunks(this.#http, `/v1/labs/${encodeURIComponent(this.id)}/logs`, options);
  }

  /**
   * Waits until the lab is running (failed or torn down: LabFailedError with the lab's error). The
   * log stream ends exactly when the lab settles, so following it is the wait.
   */
  async waitUntilRunning(options: LabWaitOptions = {}): Promise<this> {
    await this.#settle(options, "is still deploying");
    if (this.state !== "running") {
      throw new LabFailedError(this.#view, `Lab ${this.#view.instance_name} is ${this.state}: ${this.error ?? "no error was reported"}`);
    }
    return this;
  }

  /** Drops this session's hold; the lab keeps running for reuse by a later session with the same topology. */
  async release(): Promise<LabView> {
    this.#view = await this.#http.json<LabView>("POST", `/v1/labs/${encodeURIComponent(this.id)}/release`, {
      json: { session_id: this.sessionId },
    });
    return this.#view;
  }

  /** Destroys the lab (even while held) and waits until everything it made on the host is gone. */
  async destroy(options: LabWaitOptions = {}): Promise<LabView> {
    this.#view = await this.#http.json<LabView>("DELETE", `/v1/labs/${encodeURIComponent(this.id)}`, { query: { force: true } });
    await this.#settle(options, "is still being destroyed");
    if (this.state !== "inactive") {
      throw new LabFailedError(this.#view, `Lab ${this.#view.instance_name} could not be destroyed: ${this.error ?? this.state}`);
    }
    return this.#view;
  }

  async #settle(options: LabWaitOptions, stillBusy: string): Promise<void> {
    const deadline = deadlineSignal(
      options.timeoutS,
      () => new WaitTimeoutError(`Lab ${this.#view.instance_name} ${stillBusy} after ${options.timeoutS} s`),
      options.signal,
    );
    try {
      // With a deadline, a restarting broker is waited for as long as it allows (a lab deploy outlives the broker).
      const maxFailures = options.timeoutS !== undefined ? Infinity : undefined;
      for await (
        const chunk of outputChunks(this.#http, `/v1/labs/${encodeURIComponent(this.id)}/logs`, {
          after: this.#logCursor,
          signal: deadline.signal,
          maxFailures,
        })
      ) {
        this.#logCursor = chunk.id;
        options.onLog?.(chunk);
      }
    } finally {
      deadline.clear();
    }
    await this.refresh();
  }
}
