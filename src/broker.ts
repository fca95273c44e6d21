import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Database, openDatabase } from "../db/connect.ts";
import { applyMigrations } from "../db/migrate.ts";
import { embeddedMigrations } from "../db/migrations.generated.ts";
import { agentCommandHint, localBrokerUrl, reachableBrokerUrl } from "./broker-address.ts";
import type { Clock } from "./clock.ts";
import type { BrokerConfig } from "./config/broker-options.ts";
import { engineSettingsFrom, httpLimitsFrom } from "./config/broker-settings.ts";
import type { DatabaseConfig } from "./config/database-options.ts";
import { adminTokenFileOf, DEFAULT_TOKEN_FILE, writeSecretFile } from "./config/token-file.ts";
import type { EngineSettings } from "./engine/context.ts";
import { type Engine, openEngine } from "./engine/engine.ts";
import type { Logger } from "./log.ts";
import { BrokerMetrics } from "./metrics/broker-metrics.ts";
import { exportMetrics } from "./metrics/metrics-exporter.ts";
import { timedBatchExecutor } from "./metrics/timed-batch-executor.ts";
import { type HttpServer, serveHttp } from "./platform/http-server.ts";
import type { Api } from "./routes/api.ts";
import { type AccessSettings, createBrokerApp } from "./routes/app.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "./routes/http-limits.ts";

/** How long a stopping broker waits for open requests after ending its streams and polls. */
const STOP_GRACE_MS = 3_000;

export interface RunningBroker {
  server: HttpServer;
  engine: Engine;
  /** Base URL for clients on this machine (loopback when bound to all addresses). */
  localUrl: string;
  /**
   * Bounded stop: event streams get a final `broker.restarting` event and end, held long polls
   * answer, `whileDraining` runs (the server still accepts), then no new connections, requests
   * still open after the grace are cut, pending commits land and the database closes.
   */
  stop(options?: { whileDraining?: () => Promise<void> }): Promise<void>;
}

/** Opens the database and brings it to the current schema. */
export async function openMigratedDatabase(config: DatabaseConfig, log: Logger): Promise<Database> {
  const db = await openDatabase({
    url: config.db,
    ...(config.dbAuthToken ? { authToken: config.dbAuthToken } : {}),
    synchronous: config.dbSync,
  });
  const applied = await applyMigrations(db.client, embeddedMigrations);
  if (applied.length > 0) log.info("database migrated", { applied });
  return db;
}

export interface BrokerAppOptions {
  database: DatabaseConfig;
  log: Logger;
  clock: Clock;
  settings: EngineSettings;
  enrollToken?: string;
  /** The bootstrap admin's token; generated at the first start without one. */
  adminToken?: string;
  /** Anonymous policy and public URL (default: no anonymous access). */
  access?: AccessSettings;
  /** Bounds on request bodies and event streams (defaults: DEFAULT_HTTP_LIMITS). */
  limits?: HttpLimits;
  /** Run housekeeping timers (tests that drive housekeeping themselves turn this off). */
  housekeeping?: boolean;
}

export interface OpenBrokerApp {
  app: Api;
  engine: Engine;
  db: Database;
  /** Stops the engine and closes the database. */
  close(): Promise<void>;
}

/** Database, engine and HTTP app, not yet listening: what `startBroker`, `openapi` and tests share. */
export async function openBrokerApp(options: BrokerAppOptions): Promise<OpenBrokerApp> {
  const db = await openMigratedDatabase(options.database, options.log);
  const metrics = new BrokerMetrics();
  const engine = await openEngine({
    orm: db.orm,
    writer: timedBatchExecutor(db.writer, metrics),
    clock: options.clock,
    log: options.log,
    settings: options.settings,
    ...(options.enrollToken ? { enrollToken: options.enrollToken } : {}),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    ...(options.housekeeping === false ? { housekeeping: false } : {}),
  });
  const exporter = exportMetrics(engine.ctx, metrics);
  const app = createBrokerApp({
    log: options.log,
    limits: options.limits ?? DEFAULT_HTTP_LIMITS,
    engine: engine.ctx,
    metrics: exporter,
    access: options.access ?? { anonymous: "none" },
  });
  return {
    app,
    engine,
    db,
    async close() {
      exporter.stop();
      await engine.stop();
      db.close();
    },
  };
}

export async function startBroker(
  config: BrokerConfig,
  deps: { log: Logger; clock: Clock; print: (text: string) => void },
): Promise<RunningBroker> {
  const { log } = deps;
  const { app, engine, close } = await openBrokerApp({
    database: config,
    log,
    clock: deps.clock,
    settings: engineSettingsFrom(config),
    limits: httpLimitsFrom(config),
    ...(config.enrollToken ? { enrollToken: config.enrollToken } : {}),
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
    access: { anonymous: config.anonymous, publicUrl: config.publicUrl },
  });
  // Saved before the broker listens: a client started as soon as it answers finds the file.
  const adminTokenFile = adminTokenFileOf(config.db);
  if (engine.generatedAdminToken && adminTokenFile) writeSecretFile(adminTokenFile, engine.generatedAdminToken);
  const tls = config.tlsCert && config.tlsKey
    ? { cert: readFileSync(config.tlsCert, "utf8"), key: readFileSync(config.tlsKey, "utf8") }
    : undefined;
  const scheme = tls ? "https" : "http";
  const server = serveHttp(app.fetch, { hostname: config.host, port: config.port, tls });
  const localUrl = localBrokerUrl(config.host, server.port, scheme);
  const reachable = reachableBrokerUrl({ publicUrl: config.publicUrl, bindHost: config.host, port: server.port, scheme });
  log.info("broker listening", {
    url: localUrl,
    bind: `${config.host}:${server.port}`,
    publicUrl: reachable.url,
    db: redactDatabaseUrl(config.db),
    anonymous: config.anonymous,
  });
  if (config.anonymous !== "none") {
    log.warn(
      config.anonymous === "user"
        ? "anonymous clients can create sessions and run commands as root on the lab hosts"
        : "anonymous clients can read hosts, sessions and labs",
      { anonymous: config.anonymous, bind: config.host },
    );
  }
  if (engine.generatedAdminToken) deps.print(adminTokenHint(engine.generatedAdminToken, adminTokenFile, localUrl));
  deps.print(agentCommandHint(reachable, engine.generatedEnrollToken));
  return {
    server,
    engine,
    localUrl,
    async stop(options = {}) {
      log.info("broker stopping", { graceMs: STOP_GRACE_MS });
      engine.beginShutdown();
      await options.whileDraining?.();
      await server.stop(STOP_GRACE_MS);
      await close();
      log.info("broker stopped");
    },
  };
}

/** Shown once, at the first start: the admin token, where it was saved, and the dashboard link that logs in with it. */
function adminTokenHint(token: string, file: string | null, localUrl: string): string {
  return [
    "",
    "A new admin token was generated. It is shown only now; the broker keeps only its hash.",
    `  ${token}`,
    file
      ? `Saved to ${file} (readable by this user only); labbroker commands find it ${
        resolve(DEFAULT_TOKEN_FILE) === file ? "when run in this folder" : `with --token-file ${file}`
      }.`
      : "Keep it: there is no file for a database that is not a local file.",
    `Dashboard, logged in: ${localUrl}/#token=${token}`,
    "(Set your own with --admin-token or LABBROKER_ADMIN_TOKEN; create tokens for people and pipelines with `labbroker token create`.)",
  ].join("\n");
}

function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
