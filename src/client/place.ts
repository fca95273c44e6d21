import type { ChangeDeviceBody, CreateDeviceBody, DeviceInfo, FileWritten, JobView, LabNodeInfo, RunJobBody } from "./api-types.ts";
import { type FileContent, toBytes } from "./bytes.ts";
import { type CamelKeys, snakeKeys } from "./case-keys.ts";
import type { BrokerHttp } from "./http.ts";
import { Job } from "./job.ts";

/** How a job runs, in the API's terms: `background`, `timeoutS`, `expectFailure`, `cwd`, `env`, `netns`, `parseJson`, `description`, `maxOutputBytes`. */
export type RunOptions = CamelKeys<Omit<RunJobBody, "role" | "lab_id" | "node" | "argv" | "shell">>;
export type DeviceChange = CamelKeys<ChangeDeviceBody>;
export type DeviceSpec = CamelKeys<CreateDeviceBody>;
/** What a device change reports: how many changes were applied (each is undone when the session ends). */
export interface ChangeCount {
  changes: number;
}

/**
 * Somewhere a session acts: a role's host or a node of one of its labs. Jobs and device
 * operations look the same in both places; only the paths and the job target differ.
 */
export class Place {
  protected readonly http: BrokerHttp;
  readonly sessionId: string;
  /** The path the device routes hang under. */
  readonly #prefix: string;
  /** Where a job runs, as the job request says it. */
  readonly #target: Pick<RunJobBody, "role" | "lab_id" | "node">;

  constructor(http: BrokerHttp, sessionId: string, prefix: string, target: Pick<RunJobBody, "role" | "lab_id" | "node">) {
    this.http = http;
    this.sessionId = sessionId;
    this.#prefix = prefix;
    this.#target = target;
  }

  /**
   * Runs a command: an argv array as is, a string through `sh -c`. A foreground job resolves once
   * it has finished (killed at `timeoutS`, default 60); a background one at once.
   */
  async run(command: string | readonly string[], options: RunOptions = {}): Promise<Job> {
    const body = { ...this.#target, ...(typeof command === "string" ? { shell: command } : { argv: [...command] }), ...snakeKeys(options) };
    const view = await this.http.json<JobView>("POST", `/v1/sessions/${encodeURIComponent(this.sessionId)}/jobs`, { json: body });
    return new Job(this.http, view);
  }

  /** Every interface with its state, MTU, MAC, addresses, master, driver and counters. */
  devices(): Promise<DeviceInfo[]> {
    return this.http.json<DeviceInfo[]>("GET", `${this.#prefix}/devices`);
  }

  device(name: string): DeviceHandle {
    return new DeviceHandle(this.http, `${this.#prefix}/devices/${encodeURIComponent(name)}`, name);
  }

  /** Creates a bridge, veth pair, VLAN, dummy or bond; removed again when the session ends. */
  createDevice(spec: DeviceSpec): Promise<ChangeCount> {
    return this.http.json<ChangeCount>("POST", `${this.#prefix}/devices`, { json: snakeKeys(spec) });
  }

  removeDevice(name: string): Promise<ChangeCount> {
    return this.device(name).remove();
  }

  /** Reads a sysctl, or sets it (its old value comes back when the session ends). */
  async sysctl(key: string): Promise<string>;
  async sysctl(key: string, value: string | number): Promise<ChangeCount>;
  async sysctl(key: string, value?: string | number): Promise<string | ChangeCount> {
    const path = `${this.#prefix}/sysctls/${encodeURIComponent(key)}`;
    if (value === undefined) return (await this.http.json<{ value: string }>("GET", path)).value;
    return this.http.json<ChangeCount>("PUT", path, { json: { value: String(value) } });
  }
}

/** One interface of a host or node. */
export class DeviceHandle {
  readonly #http: BrokerHttp;
  readonly #path: string;
  readonly name: string;

  constructor(http: BrokerHttp, path: string, name: string) {
    this.#http = http;
    this.#path = path;
    this.name = name;
  }

  /** Up/down, MTU, master (null frees it), addresses to add and remove; undone when the session ends. */
  set(change: DeviceChange): Promise<ChangeCount> {
    return this.#http.json<ChangeCount>("PATCH", this.#path, { json: snakeKeys(change) });
  }

  /** Removes the device (it is recreated when the session ends). */
  remove(): Promise<ChangeCount> {
    return this.#http.json<ChangeCount>("DELETE", this.#path);
  }
}

/** A host the session holds, by role: jobs, devices, and files. */
export class SessionHost extends Place {
  readonly role: string;

  constructor(http: BrokerHttp, sessionId: string, role: string) {
    super(http, sessionId, `/v1/sessions/${encodeURIComponent(sessionId)}/hosts/${encodeURIComponent(role)}`, { role });
    this.role = role;
  }

  /** Writes a file on the host (absolute path, written atomically). */
  upload(path: string, content: FileContent): Promise<FileWritten> {
    return this.http.json<FileWritten>("PUT", this.#filesPath, {
      query: { path },
      body: toBytes(content),
      headers: { "content-type": "application/octet-stream" },
    });
  }

  async download(path: string): Promise<Uint8Array> {
    const response = await this.http.send("GET", this.#filesPath, { query: { path } });
    return new Uint8Array(await response.arrayBuffer());
  }

  get #filesPath(): string {
    return `/v1/sessions/${encodeURIComponent(this.sessionId)}/hosts/${encodeURIComponent(this.role)}/files`;
  }
}

/** A node of a running lab: jobs run inside it, devices are its own. */
export class LabNode extends Place {
  readonly name: string;
  /** The node as the runtime reported it at deploy (kind, state, management addresses, raw data). */
  readonly info: LabNodeInfo | undefined;

  constructor(http: BrokerHttp, sessionId: string, labId: string, name: string, info: LabNodeInfo | undefined) {
    super(
      http,
      sessionId,
      `/v1/sessions/${encodeURIComponent(sessionId)}/labs/${encodeURIComponent(labId)}/nodes/${encodeURIComponent(name)}`,
      { lab_id: labId, node: name },
    );
    this.name = name;
    this.info = info;
  }
}
