import { openDatabase } from "../../db/connect.ts";
import { applyMigrations } from "../../db/migrate.ts";
import { embeddedMigrations } from "../../db/migrations.generated.ts";
import { registerAgent } from "../../src/engine/agents/register-agent.ts";
import { acquireLab } from "../../src/engine/labs/acquire-lab.ts";
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from "../../src/engine/context.ts";
import { openEngine } from "../../src/engine/engine.ts";
import type { Requirement, Session } from "../../src/engine/model.ts";
import type { RuntimeName } from "../../src/protocol/runtimes.ts";
import { createSession } from "../../src/engine/sessions/create-session.ts";
import { silentLogger } from "../../src/log.ts";
import { VERSION } from "../../src/version.ts";
import { FakeClock } from "./fake-clock.ts";

export const TEST_ENROLL_TOKEN = "lbe_test-enrollment-token";

export interface TestHostOptions {
  labels?: Record<string, string>;
  runtimes?: RuntimeName[];
  capacity?: number;
  /** What the agent says in its inventory, e.g. `{ health_gate: "full" }`. */
  inventory?: Record<string, unknown>;
}

/** An engine on its own in-memory database and fake clock, with helpers that go through the real verbs. */
export async function createTestEngine(settings: Partial<EngineSettings> = {}, url = ":memory:") {
  const db = await openDatabase({ url });
  await applyMigrations(db.client, embeddedMigrations);
  const clock = new FakeClock();
  const engine = await openEngine({
    orm: db.orm,
    writer: db.writer,
    clock,
    log: silentLogger,
    settings: { ...DEFAULT_ENGINE_SETTINGS, ...settings },
    enrollToken: TEST_ENROLL_TOKEN,
    housekeeping: false,
  });
  const { ctx } = engine;

  const addHost = async (name: string, options: TestHostOptions = {}) => {
    const result = await registerAgent(ctx, {
      name,
      version: VERSION,
      labels: options.labels ?? {},
      runtimes: (options.runtimes ?? ["native"]).map((runtime) => ({ name: runtime, version: null })),
      capacity: options.capacity ?? 1,
      inventory: options.inventory ?? {},
    });
    return result.host;
  };

  const requestSession = async (
    requirements: Partial<Requirement>[] = [{}],
    extra: {
      priority?: number;
      idempotencyKey?: string;
      strict?: boolean;
      walltimeMs?: number;
      startAt?: number;
      owner?: { id: string; name: string };
    } = {},
  ) => {
    const { session } = await createSession(ctx, {
      requirements: requirements.map((requirement, index) => ({
        role: requirement.role ?? `m${index + 1}`,
        labels: requirement.labels ?? {},
        runtime: requirement.runtime ?? null,
        host: requirement.host ?? null,
        ...(requirement.warmLab ? { warmLab: requirement.warmLab } : {}),
      })),
      priority: extra.priority ?? 0,
      client: {},
      idempotencyKey: extra.idempotencyKey ?? null,
      compat: false,
      strict: extra.strict ?? false,
      owner: extra.owner ?? null,
      walltimeMs: extra.walltimeMs ?? null,
      startAt: extra.startAt ?? null,
    });
    return session;
  };

  /** Host names assigned to the session, by role. */
  const assignedNames = (sessionId: string) => {
    const session = ctx.state.sessions.find(sessionId);
    return Object.fromEntries(
      Object.entries(session?.assignments ?? {}).map(([role, hostId]) => [role, ctx.state.hosts.get(hostId)?.name]),
    );
  };

  /** A one-node containerlab lab for the session, deploying on its (single) host. */
  const acquireSmallLab = async (session: Session) => {
    const topology = new TextEncoder().encode("name: pair\ntopology:\n  nodes:\n    a: { kind: linux }\n");
    const upload = { topologyFile: "pair.clab.yml", topology, extraFiles: [] };
    const { lab } = await acquireLab(ctx, { session, role: null, upload, runtime: null, reuse: true, remoteLab: false });
    return lab;
  };

  const close = async () => {
    await engine.stop();
    db.close();
  };

  return { engine, ctx, clock, db, addHost, requestSession, assignedNames, acquireSmallLab, close };
}

export type TestEngine = Awaited<ReturnType<typeof createTestEngine>>;
