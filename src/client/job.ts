import type { JobSignal, JobView, KillResult, OutputChunk } from "./api-types.ts";
import { WaitTimeoutError } from "./errors.ts";
import { followEvents } from "./follow-events.ts";
import type { BrokerHttp } from "./http.ts";
import type { ServerSentEvent } from "./sse.ts";

/** The longest single wait request; long waits are several of these, so no proxy or idle timeout cuts one off. */
const WAIT_SLICE_S = 30;

export interface OutputOptions {
  /** Resume after this chunk id. */
  after?: number | undefined;
  signal?: AbortSignal | undefined;
  /** false: only what is stored now, instead of following until the job has finished (or the lab settled). */
  follow?: boolean | undefined;
}

/** Reads `output` events of a job or lab log stream as chunks, until its `end`. */
export async function* outputChunks(
  http: BrokerHttp,
  path: string,
  options: OutputOptions & { maxFailures?: number | undefined },
): AsyncGenerator<OutputChunk> {
  const isEnd = (event: ServerSentEvent) => event.event === "end";
  const lastEventId = options.after === undefined ? undefined : String(options.after);
  const query = options.follow === false ? { follow: "false" } : {};
  for await (
    const event of followEvents(http, path, {
      query,
      isLast: isEnd,
      lastEventId,
      signal: options.signal,
      ...(options.maxFailures !== undefined ? { maxFailures: options.maxFailures } : {}),
    })
  ) {
    if (event.event === "output") yield { ...(JSON.parse(event.data) as Omit<OutputChunk, "id">), id: Number(event.id) };
  }
}

/** A command run on a host or lab node. Getters read the latest view; `wait` and `refresh` update it. */
export class Job {
  readonly #http: BrokerHttp;
  #view: JobView;

  constructor(http: BrokerHttp, view: JobView) {
    this.#http = http;
    this.#view = view;
  }

  get id(): string {
    return this.#view.id;
  }
  get view(): JobView {
    return this.#view;
  }
  get finished(): boolean {
    return this.#view.state === "finished";
  }
  /** True when it exited as expected (0, or non-zero with `expectFailure`); null while it runs. */
  get passed(): boolean | null {
    return this.#view.passed;
  }
  get exitCode(): number | null {
    return this.#view.exit_code;
  }
  get stdout(): string {
    return this.#view.stdout ?? "";
  }
  get stderr(): string {
    return this.#view.stderr ?? "";
  }
  /** stdout parsed as JSON, for jobs run with `parseJson`. */
  get result(): unknown {
    return this.#view.result;
  }

  async refresh(): Promise<JobView> {
    this.#view = await this.#http.json<JobView>("GET", `/v1/jobs/${encodeURIComponent(this.id)}`);
    return this.#view;
  }

  /** Waits until the job has finished; with `timeoutS`, a WaitTimeoutError when it still runs by then (it keeps running). */
  async wait(timeoutS?: number, signal?: AbortSignal): Promise<this> {
    const deadline = timeoutS === undefined ? Infinity : Date.now() + timeoutS * 1000;
    while (!this.finished) {
      const remainingS = (deadline - Date.now()) / 1000;
      if (remainingS <= 0) throw new WaitTimeoutError(`Job ${this.id} is still running after ${timeoutS} s`);
      this.#view = await this.#http.json<JobView>("POST", `/v1/jobs/${encodeURIComponent(this.id)}/wait`, {
        query: { timeout_s: Math.min(WAIT_SLICE_S, remainingS) },
        signal,
      });
    }
    return this;
  }

  /** Signals the job's process tree (default SIGKILL); a finished job is left alone and the result says so. */
  async kill(signal?: JobSignal): Promise<KillResult> {
    const outcome = await this.#http.json<KillResult>("POST", `/v1/jobs/${encodeURIComponent(this.id)}/kill`, {
      json: signal ? { signal } : {},
    });
    this.#view = outcome.job;
    return outcome;
  }

  /**
   * stdout and stderr as they happen, until the job has finished. Each chunk carries its `id`:
   * pass it as `after` to resume where an earlier iteration stopped.
   */
  output(options: OutputOptions = {}): AsyncGenerator<OutputChunk> {
    return outputChunks(this.#http, `/v1/jobs/${encodeURIComponent(this.id)}/output`, options);
  }
}
