import type { HealthGateMode } from "../../protocol/health-gate-modes.ts";
import { diffHostSnapshots, type HostDifference } from "./host-diff.ts";
import { type HostSnapshot, takeHostSnapshot } from "./host-snapshot.ts";
import type { LabFootprint } from "./lab-footprint.ts";
import { cleanSessionFiles, cleanSessionProcesses } from "./session-leftovers.ts";

export interface HealthReport {
  clean: boolean;
  gate: HealthGateMode;
  /** What this check looked at. */
  checked: string[];
  differences: HostDifference[];
  /** When the baseline it compared with was taken; null without a host-wide part. */
  baseline_at: string | null;
}

export interface HealthCheckRequest {
  /** The session that ended (its processes and files are looked for), or null for a check of the host alone. */
  sessionId: string | null;
  /** No session holds the host: the host-wide view can be compared (see host-diff.ts). */
  hostWide: boolean;
}

/**
 * The agent's half of the health gate: keeps the baseline of the idle host and checks the host
 * against it. `processes` looks only for what can be tied to the session for certain (its marked
 * processes, the files it uploaded): the mode for a host shared with other users. `full` adds
 * the host-wide view, for a host the agent has to itself.
 */
export class HostHealthGate {
  #baseline: HostSnapshot | null = null;
  #uploads = new Map<string, Set<string>>();

  constructor(
    readonly mode: HealthGateMode,
    private readonly clock: { now(): number },
  ) {}

  /** Takes the host's present state as the baseline (at agent start, and when an admin clears the host). */
  async takeBaseline(): Promise<void> {
    if (this.mode === "full") this.#baseline = await takeHostSnapshot(this.clock.now());
  }

  /** A session uploaded a file where none was: it goes when the session ends. */
  noteUpload(sessionId: string, path: string): void {
    if (this.mode === "off") return;
    const paths = this.#uploads.get(sessionId) ?? new Set();
    paths.add(path);
    this.#uploads.set(sessionId, paths);
  }

  async check(request: HealthCheckRequest, labs: () => LabFootprint): Promise<HealthReport> {
    const differences: HostDifference[] = [];
    const checked: string[] = [];
    if (request.sessionId !== null && this.mode !== "off") {
      differences.push(
        ...(await cleanSessionProcesses(request.sessionId)),
        ...cleanSessionFiles(this.#uploads.get(request.sessionId) ?? []),
      );
      this.#uploads.delete(request.sessionId);
      checked.push("processes", "files");
    }
    const baseline = this.#baseline;
    const hostWide = this.mode === "full" && request.hostWide && baseline !== null;
    if (hostWide) {
      const now = await takeHostSnapshot(this.clock.now());
      differences.push(...diffHostSnapshots(baseline, now, labs()));
      checked.push("namespaces", "links", "addresses", "routes", "sysctls");
      // The host is idle and clean: this is its new baseline (what foreign labs left meanwhile included, harmlessly: only new things count).
      if (differences.every((difference) => difference.cleaned)) this.#baseline = now;
    }
    return {
      clean: differences.every((difference) => difference.cleaned),
      gate: this.mode,
      checked,
      differences,
      baseline_at: hostWide ? new Date(baseline.takenAt).toISOString() : null,
    };
  }
}
