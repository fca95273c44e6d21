import { openDatabase, type Database } from "../db/connect.ts";
import { applyMigrations } from "../db/migrate.ts";
import { embeddedMigrations } from "../db/migrations.generated.ts";
import type { Clock } from "./clock.ts";
import type { BrokerConfig, DatabaseConfig } from "./config/broker-options.ts";
import type { Logger } from "./log.ts";
import { type HttpServer, serveHttp } from "./platform/http-server.ts";
import { createBrokerApp } from "./routes/app.ts";

export const DEFAULT_LIMITS = { maxBodyBytes: 256 * 1024, maxUploadBytes: 64 * 1024 * 1024 };

export interface RunningBroker {
  server: HttpServer;
  /** Base URL for clients on this machine (loopback when bound to all addresses). */
  localUrl: string;
  /** Graceful stop: no new connections, in-flight requests finish, then the database closes. */
  stop(): Promise<void>;
}

/** Opens the database and brings it to the current schema. */
export async function openMigratedDatabase(config: DatabaseConfig, log: Logger): Promise<Database> {
  const db = await openDatabase({ url: config.db, ...(config.dbAuthToken ? { authToken: config.dbAuthToken } : {}), synchronous: config.dbSync });
  const applied = await applyMigrations(db.client, embeddedMigrations);
  if (applied.length > 0) log.info("database migrated", { applied });
  return db;
}

export async function startBroker(config: BrokerConfig, deps: { log: Logger; clock: Clock }): Promise<RunningBroker> {
  const db = await openMigratedDatabase(config, deps.log);
  const app = createBrokerApp({ log: deps.log, limits: DEFAULT_LIMITS });
  const server = serveHttp(app.fetch, { hostname: config.host, port: config.port });
  const localHost = config.host === "0.0.0.0" || config.host === "::" ? "127.0.0.1" : config.host;
  const localUrl = `http://${localHost.includes(":") ? `[${localHost}]` : localHost}:${server.port}`;
  deps.log.info("broker listening", { url: localUrl, bind: `${config.host}:${server.port}`, db: redactDatabaseUrl(config.db) });
  return {
    server,
    localUrl,
    async stop() {
      await server.stop();
      db.close();
      deps.log.info("broker stopped");
    },
  };
}

function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
