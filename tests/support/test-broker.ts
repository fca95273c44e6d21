import { afterEach } from "bun:test";
import { openBrokerApp } from "../../src/broker.ts";
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from "../../src/engine/context.ts";
import { silentLogger } from "../../src/log.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../../src/routes/http-limits.ts";
import { FakeClock } from "./fake-clock.ts";
import { TEST_ENROLL_TOKEN } from "./test-engine.ts";

/** A broker app for one test on its own database (in memory unless `db` names a file) and fake clock, answering through `app.request()`. */
export async function createTestApp(settings: Partial<EngineSettings> = {}, db = ":memory:", limits: Partial<HttpLimits> = {}) {
  const clock = new FakeClock();
  const broker = await openBrokerApp({
    database: { db, dbSync: "normal" },
    log: silentLogger,
    clock,
    settings: { ...DEFAULT_ENGINE_SETTINGS, ...settings },
    enrollToken: TEST_ENROLL_TOKEN,
    housekeeping: false,
    limits: { ...DEFAULT_HTTP_LIMITS, ...limits },
  });
  return { ...broker, clock, ctx: broker.engine.ctx };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A maker of test apps with their own HTTP limits, each closed after its test. */
export function appsWithLimits(): (limits?: Partial<HttpLimits>) => Promise<TestApp> {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  return async (limits = {}) => {
    const app = await createTestApp({}, ":memory:", limits);
    apps.push(app);
    return app;
  };
}
