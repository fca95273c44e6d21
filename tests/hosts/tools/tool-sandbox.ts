import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LabSpec } from "../../../src/hosts/lab-runtime.ts";
import type { LabToolSettings } from "../../../src/hosts/lab-tool.ts";
import { FIXTURES } from "../../support/reference-fixtures.ts";

export const FAKES = join(import.meta.dir, "../../fakes");

/**
 * One test's private world: a labs root, a fake Docker daemon state folder and a HOME (netlab
 * keeps `~/.netlab/status.yaml` there), with the fakes first on PATH and `bun` (their
 * interpreter, `#!/usr/bin/env bun`) in `interpreterDir` right after them.
 */
export class ToolSandbox {
  readonly root = mkdtempSync(join(tmpdir(), "labbroker-tools-"));
  readonly labsRoot = join(this.root, "labs");
  readonly dockerState = join(this.root, "docker");
  readonly home = join(this.root, "home");
  /** Holds `bun` only: the test runner's own binary may be called `bun.exe`. */
  readonly interpreterDir = join(this.root, "interpreter");
  readonly environment: Record<string, string>;

  constructor(extraEnvironment: Record<string, string> = {}) {
    for (const folder of [this.labsRoot, this.dockerState, this.home, this.interpreterDir]) mkdirSync(folder, { recursive: true });
    symlinkSync(process.execPath, join(this.interpreterDir, "bun"));
    this.environment = {
      PATH: `${FAKES}:${this.interpreterDir}:/usr/local/bin:/usr/bin:/bin`,
      HOME: this.home,
      USER: "labuser",
      FAKE_DOCKER_STATE: this.dockerState,
      ...extraEnvironment,
    };
  }

  settings(overrides: Partial<LabToolSettings> = {}): LabToolSettings {
    return { environment: this.environment, labsRoot: this.labsRoot, queryTimeoutMs: 20_000, ...overrides };
  }

  /** A lab work dir (by default under the labs root) holding `topology` (a fixture path or YAML text). */
  labSpec(instanceName: string, topology: { fixture: string } | { text: string }, overrides: Partial<LabSpec> = {}): LabSpec {
    const workDir = overrides.workDir ?? join(this.labsRoot, instanceName);
    mkdirSync(workDir, { recursive: true });
    const topologyFile = overrides.topologyFile ?? ("fixture" in topology ? topology.fixture.split("/").pop()! : "topology.yml");
    const target = join(workDir, topologyFile);
    if ("fixture" in topology) copyFileSync(join(FIXTURES, topology.fixture), target);
    else writeFileSync(target, topology.text);
    return { labId: `lab-${instanceName}`, instanceName, workDir, topologyFile, timeoutMs: 30_000, ...overrides };
  }

  /** The images the fake Docker daemon has locally (anything else fails like a denied pull). */
  setDockerImages(images: string[]): void {
    writeFileSync(join(this.dockerState, "images.json"), JSON.stringify(images));
  }

  /** A wrapper standing in for `sudo -n`: records its arguments in `log`, then runs them. */
  recordingPrefix(log: string): string {
    const wrapper = join(this.root, "as-root");
    writeFileSync(wrapper, `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec "$@"\n`);
    chmodSync(wrapper, 0o755);
    return wrapper;
  }

  remove(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}
