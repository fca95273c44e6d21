import { afterEach } from "bun:test";
import { openBrokerApp } from "../../src/broker.ts";
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from "../../src/engine/context.ts";
import { silentLogger } from "../../src/log.ts";
import type { Api } from "../../src/routes/api.ts";
import type { AccessSettings } from "../../src/routes/app.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../../src/routes/http-limits.ts";
import { FakeClock } from "./fake-clock.ts";
import { TEST_ENROLL_TOKEN } from "./test-engine.ts";

/** The bootstrap admin token of every test broker (in process and in child processes). */
export const TEST_ADMIN_TOKEN = "lbt_test-admin-token";

export interface TestAppOptions {
  /** Anonymous policy and public URL (default: no anonymous access). */
  access?: AccessSettings;
  /** Bounds on bodies and streams, over DEFAULT_HTTP_LIMITS. */
  limits?: Partial<HttpLimits>;
}

/**
 * A broker app for one test on its own database (in memory unless `db` names a file) and fake clock.
 * `app.request()` sends the admin token unless the request has an Authorization header of its own;
 * `anonymousApp` sends exactly what it is given (tests of authentication use it).
 */
export async function createTestApp(settings: Partial<EngineSettings> = {}, db = ":memory:", options: TestAppOptions = {}) {
  const clock = new FakeClock();
  const broker = await openBrokerApp({
    database: { db, dbSync: "normal" },
    log: silentLogger,
    clock,
    settings: { ...DEFAULT_ENGINE_SETTINGS, ...settings },
    enrollToken: TEST_ENROLL_TOKEN,
    adminToken: TEST_ADMIN_TOKEN,
    access: options.access ?? { anonymous: "none" },
    limits: { ...DEFAULT_HTTP_LIMITS, ...options.limits },
    housekeeping: false,
  });
  return { ...broker, app: asAdmin(broker.app), anonymousApp: broker.app, clock, ctx: broker.engine.ctx };
}

/** The app with `request()` authenticated as the test admin by default. */
function asAdmin(app: Api): Api {
  const request: Api["request"] = (input, init, ...rest) => {
    const headers = new Headers(init?.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${TEST_ADMIN_TOKEN}`);
    return app.request(input, { ...init, headers }, ...rest);
  };
  return new Proxy(app, {
    get(target, property) {
      if (property === "request") return request;
      const value = Reflect.get(target, property, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** A maker of test apps with their own HTTP limits, each closed after its test. */
export function appsWithLimits(): (limits?: Partial<HttpLimits>) => Promise<TestApp> {
  const apps: TestApp[] = [];
  afterEach(async () => {
    for (const app of apps.splice(0)) await app.close();
  });
  return async (limits = {}) => {
    const app = await createTestApp({}, ":memory:", { limits });
    apps.push(app);
    return app;
  };
}
