/**
 * Test fixtures for any runner: hand over the runner's `beforeAll`/`afterAll` and get a session
 * (and lab) acquired once for the suite and released afterwards — when tests fail, when setup
 * fails halfway, and when the run is interrupted (SIGINT/SIGTERM). A run killed outright is
 * cleaned up by the broker, which reaps sessions that stop sending heartbeats.
 *
 * With LABBROKER_SESSION set (a CI job that ran `eval "$(labbroker session create --shell)"`), the
 * suite works in that session instead of queueing behind it: it keeps it alive while it runs,
 * releases (does not destroy) its lab afterwards and leaves the session to the job's `session end`.
 *
 * With `keepWarm: true` the lab is not destroyed either: once no session holds it, the broker resets it
 * and keeps it deployed for the next suite with the same topology, which asks for a host holding it.
 *
 *   import { afterAll, beforeAll } from "bun:test";
 *   const lab = useLab({ beforeAll, afterAll }, { topology: readFileSync("line3.clab.yml", "utf8") });
 *   test("a reaches c", async () => expect((await lab.node("a").run(["ping", "-c1", "10.0.2.3"])).passed).toBe(true));
 */
import type { OutputChunk } from "./api-types.ts";
import { type HostRequirement, LabBroker, type SessionRequest } from "./broker.ts";
import { endOnSignal } from "./end-on-signal.ts";
import { type Environment, processEnvironment } from "./environment.ts";
import type { Lab } from "./lab.ts";
import type { LabNode, SessionHost } from "./place.ts";
import type { LabOptions, Session } from "./session.ts";

/** The suite hooks of bun:test, vitest, jest and the like (timeouts in milliseconds). */
export interface SuiteHooks {
  beforeAll(fn: () => Promise<void>, timeoutMs?: number): unknown;
  afterAll(fn: () => Promise<void>, timeoutMs?: number): unknown;
}

export interface UseSessionOptions extends Omit<SessionRequest, "wait" | "signal"> {
  /** The broker to use; by default one at LABBROKER_URL (else REMOTE_LAB_URL) from `env`. */
  broker?: LabBroker;
  /** Where to read LABBROKER_URL and LABBROKER_SESSION from (default: the process environment). */
  env?: Environment;
  /** An existing session to work in instead of queueing one (default: LABBROKER_SESSION); it is left running. */
  sessionId?: string;
  /** The time setup may take, including the wait in the queue (default 1800 s). */
  setupTimeoutS?: number;
}

export interface UseLabOptions extends UseSessionOptions, Omit<LabOptions, "timeoutS" | "signal" | "onLog"> {
  /** The topology YAML text. */
  topology: string;
  onLog?: (chunk: OutputChunk) => void;
}

export interface SessionFixture {
  /** The active session (available from the tests on, not at suite definition time). */
  readonly session: Session;
  host(role?: string): SessionHost;
}

export interface LabFixture extends SessionFixture {
  readonly lab: Lab;
  node(name: string): LabNode;
}

const DEFAULT_SETUP_TIMEOUT_S = 1800;

/** A session for the suite: queued and awaited in `beforeAll`, ended in `afterAll`. */
export function useSession(hooks: SuiteHooks, options: UseSessionOptions = {}): SessionFixture {
  const fixture = suiteFixture(hooks, options, async () => null);
  return {
    get session() {
      return fixture.session();
    },
    host: (role) => fixture.session().host(role),
  };
}

/**
 * A session and a running lab for the suite; the lab is destroyed (with `keepWarm`: released to go warm)
 * and the session ended in `afterAll`. The lab's host is asked for with a preference for one holding a
 * warm lab of the topology.
 */
export function useLab(hooks: SuiteHooks, options: UseLabOptions): LabFixture {
  const { topology, fileName, extraFiles, role, runtime, reuse, keepWarm, onLog } = options;
  const fixture = suiteFixture(
    hooks,
    { ...options, hosts: preferWarmLab(options.hosts, role, topology) },
    (session, timeoutS) => session.lab(topology, { fileName, extraFiles, role, runtime, reuse, keepWarm, onLog, timeoutS }),
    keepWarm ?? false,
  );
  return {
    get session() {
      return fixture.session();
    },
    get lab() {
      return fixture.lab();
    },
    host: (role) => fixture.session().host(role),
    node: (name) => fixture.lab().node(name),
  };
}

/** The lab's role (the first one by default) prefers a host holding a warm lab of the topology, unless it names one itself. */
function preferWarmLab(hosts: UseLabOptions["hosts"], role: string | undefined, topology: string): Record<string, HostRequirement> {
  const given = hosts ?? {};
  const labRole = role ?? Object.keys(given)[0] ?? "m1";
  if (Object.keys(given).length > 0 && !(labRole in given)) return given;
  return { ...given, [labRole]: { warmLab: topology, ...given[labRole] } };
}

/** Registers the hooks that acquire and release; returns accessors that say clearly when used too early. */
function suiteFixture(
  hooks: SuiteHooks,
  options: UseSessionOptions,
  acquireLab: (session: Session, timeoutS: number) => Promise<Lab | null>,
  keepWarm = false,
) {
  const timeoutS = options.setupTimeoutS ?? DEFAULT_SETUP_TIMEOUT_S;
  let session: Session | undefined;
  /** False when the suite joined an existing session (LABBROKER_SESSION) rather than queueing its own. */
  let ownSession = true;
  let lab: Lab | null = null;
  let unregister = () => {};

  const release = async () => {
    unregister();
    const held = session;
    session = undefined;
    // A lab of our own session is destroyed and waited for, so the host is clean when the suite ends;
    // in a session we only joined, the lab is left to its owner (a later suite may reuse it); a
    // keep_warm lab is released, and goes warm once no session holds it.
    await (ownSession && !keepWarm ? lab?.destroy({ timeoutS: 300 }) : lab?.release())?.catch(() => {});
    lab = null;
    // Ends our own session; only stops the heartbeats of a joined one.
    await held?.[Symbol.asyncDispose]();
  };

  hooks.beforeAll(async () => {
    const env = options.env ?? processEnvironment();
    const broker = options.broker ?? new LabBroker({ env });
    const started = Date.now();
    const { hosts, priority, client, idempotencyKey, strict, onWait, onReconnect } = options;
    const existing = options.sessionId ?? env.LABBROKER_SESSION;
    ownSession = !existing;
    session = existing
      ? await (await broker.attach(existing)).waitUntilActive({ onWait, onReconnect, timeoutS })
      : await broker.session({ hosts, priority, client, idempotencyKey, strict, onWait, onReconnect, timeoutS });
    unregister = endOnSignal(release);
    try {
      lab = await acquireLab(session, Math.max(1, timeoutS - (Date.now() - started) / 1000));
    } catch (error) {
      await release().catch(() => {});
      throw error;
    }
  }, timeoutS * 1000 + 30_000);

  hooks.afterAll(release, 330_000);

  return {
    session(): Session {
      if (!session) throw new Error("The labbroker session is not ready: it is acquired in beforeAll and released in afterAll");
      return session;
    },
    lab(): Lab {
      if (!lab) throw new Error("The lab is not ready: it is deployed in beforeAll and destroyed in afterAll");
      return lab;
    },
  };
}
