import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DockerError } from "./docker-error.ts";
import { sleepSync, withFileLock } from "./file-lock.ts";
import { ipv4Host, ipv6Host, pickIpv4Host, prefixLength } from "./ipam.ts";

/**
 * A stand-in for the Docker daemon that the containerlab and netlab fakes share, kept as files in
 * a state folder (`FAKE_DOCKER_STATE`, default `<tmp>/fake-docker-state`):
 *
 * - `state.json`  — containers and networks, as `docker ps -a` / `docker network ls` would see them;
 * - `images.json` — a JSON array of the images present locally; when absent, `DEFAULT_IMAGES`.
 *   The daemon cannot reach a registry, so any other image fails the way a denied pull does.
 *
 * `FAKE_DOCKER_HANG` simulates an unresponsive dockerd: `1` blocks every call forever; `create`
 * answers reads but blocks forever in container creation, after the container was recorded in
 * state `created` (a storage driver stuck while starting it), so a killed deploy leaves it behind.
 * `FAKE_DOCKER_REMOVE=fail` makes every container removal fail as dockerd does for a container it
 * cannot kill. `FAKE_DOCKER_EXITS=image[,image]`: containers of these images exit as soon as they
 * start (their process ends; with restart-policy `no` they stay `exited`).
 */

export const DEFAULT_IMAGES = [
  "alpine:3",
  "nginx:stable-alpine",
  "ghcr.io/srl-labs/alpine",
  "ghcr.io/nokia/srlinux",
  "quay.io/frrouting/frr:10.5.0",
  "quay.io/frrouting/frr:10.5.1",
  "quay.io/frrouting/frr:10.5.3",
  "wbitt/network-multitool:3.22.2",
  "python:3.13-alpine",
];

export interface FakeContainer {
  /** 64 hex characters; tools show the first 12. */
  id: string;
  name: string;
  image: string;
  state: "created" | "running" | "exited";
  startedAt: number;
  /** null in network-mode host/none. */
  network: string | null;
  /** With prefix length, as containerlab prints it ("172.20.20.2/24"). */
  ipv4: string | null;
  ipv6: string | null;
  labels: Record<string, string>;
}

export interface ContainerRequest {
  name: string;
  image: string;
  labels: Record<string, string>;
  network: { name: string; ipv4Subnet: string | null; ipv6Subnet: string | null } | null;
  staticIpv4?: string;
  staticIpv6?: string;
}

interface Network {
  ipv4Subnet: string | null;
  ipv6Subnet: string | null;
}

interface DaemonState {
  containers: FakeContainer[];
  networks: Record<string, Network>;
}

export class FakeDockerDaemon {
  readonly #stateDir: string;
  readonly #hang: string;
  readonly #removalFails: boolean;
  readonly #exitingImages: string[];

  constructor(env: NodeJS.ProcessEnv) {
    this.#stateDir = env.FAKE_DOCKER_STATE || join(tmpdir(), "fake-docker-state");
    this.#hang = env.FAKE_DOCKER_HANG ?? "";
    this.#removalFails = env.FAKE_DOCKER_REMOVE === "fail";
    this.#exitingImages = (env.FAKE_DOCKER_EXITS ?? "").split(",").filter(Boolean);
    mkdirSync(this.#stateDir, { recursive: true });
  }

  listContainers(): FakeContainer[] {
    return this.#read().containers;
  }

  /** Succeeds for local images only: the fake daemon has no registry to pull from. */
  pullImage(image: string): void {
    this.#answer();
    if (this.#images().includes(image)) return;
    const repository = image.replace(/:[^/:]+$/, "");
    throw new DockerError(
      `Error response from daemon: pull access denied for ${repository}, repository does not exist or may require 'docker login': denied: requested access to the resource is denied`,
    );
  }

  imageExists(image: string): boolean {
    this.#answer();
    return this.#images().includes(image);
  }

  createContainer(request: ContainerRequest): FakeContainer {
    const container = this.#update((state) => {
      const taken = state.containers.find((container) => container.name === request.name);
      if (taken) {
        throw new DockerError(
          `Error response from daemon: Conflict. The container name "/${request.name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`,
        );
      }
      let ipv4: string | null = null;
      let ipv6: string | null = null;
      if (request.network) {
        const network =
          (state.networks[request.network.name] ??= { ipv4Subnet: request.network.ipv4Subnet, ipv6Subnet: request.network.ipv6Subnet });
        const peers = state.containers.filter((container) => container.network === request.network?.name);
        const used = peers.flatMap((peer) => (peer.ipv4 ? [peer.ipv4.split("/")[0]!] : []));
        const hostIndex = network.ipv4Subnet ? pickIpv4Host(network.ipv4Subnet, request.staticIpv4, used, request.network.name) : null;
        ipv4 = network.ipv4Subnet && hostIndex !== null
          ? `${ipv4Host(network.ipv4Subnet, hostIndex)}/${prefixLength(network.ipv4Subnet)}`
          : null;
        if (network.ipv6Subnet) {
          ipv6 = `${request.staticIpv6 ?? ipv6Host(network.ipv6Subnet, hostIndex ?? peers.length + 2)}/${prefixLength(network.ipv6Subnet)}`;
        }
      }
      const container: FakeContainer = {
        id: randomBytes(32).toString("hex"),
        name: request.name,
        image: request.image,
        state: this.#hang === "create" ? "created" : this.#exitingImages.includes(request.image) ? "exited" : "running",
        startedAt: Date.now(),
        network: request.network?.name ?? null,
        ipv4,
        ipv6,
        labels: request.labels,
      };
      state.containers.push(container);
      return container;
    });
    if (this.#hang === "create") sleepSync(Infinity);
    return container;
  }

  removeContainer(name: string): void {
    if (this.#removalFails) {
      throw new DockerError(
        `Error response from daemon: cannot remove container "/${name}": could not kill: tried to kill container, but did not receive an exit event`,
      );
    }
    this.#update((state) => {
      state.containers = state.containers.filter((container) => container.name !== name);
    });
  }

  #answer(): void {
    if (this.#hang === "1") sleepSync(Infinity);
  }

  #images(): string[] {
    const file = join(this.#stateDir, "images.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as string[]) : DEFAULT_IMAGES;
  }

  #read(): DaemonState {
    this.#answer();
    const file = join(this.#stateDir, "state.json");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as DaemonState) : { containers: [], networks: {} };
  }

  #update<T>(change: (state: DaemonState) => T): T {
    return withFileLock(join(this.#stateDir, "state.lock"), () => {
      const state = this.#read();
      const result = change(state);
      const file = join(this.#stateDir, "state.json");
      writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
      renameSync(`${file}.tmp`, file);
      return result;
    });
  }
}

/** Docker's `Status` column: "Up 3 seconds", "Up About a minute", "Created", … */
export function containerStatus(container: FakeContainer, now = Date.now()): string {
  if (container.state === "created") return "Created";
  if (container.state === "exited") return "Exited (1) Less than a second ago";
  const seconds = Math.max(0, Math.floor((now - container.startedAt) / 1000));
  if (seconds < 1) return "Up Less than a second";
  if (seconds < 60) return `Up ${seconds} second${seconds === 1 ? "" : "s"}`;
  if (seconds < 120) return "Up About a minute";
  if (seconds < 3600) return `Up ${Math.floor(seconds / 60)} minutes`;
  if (seconds < 7200) return "Up About an hour";
  return `Up ${Math.floor(seconds / 3600)} hours`;
}
