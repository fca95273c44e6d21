import { closeSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import { type BatchExecutor, clientBatchExecutor, fileBatchExecutor } from "./batch-executor.ts";
import { databasePath } from "./database-path.ts";
import * as schema from "./schema.ts";

export type Orm = LibSQLDatabase<typeof schema>;

export interface Database {
  client: Client;
  orm: Orm;
  /** Runs the group commits: a dedicated connection for a file, the client otherwise. */
  writer: BatchExecutor;
  /** True for an embedded file or in-memory database (single writer in this process). */
  local: boolean;
  close(): void;
}

export interface DatabaseOptions {
  /** `:memory:`, `file:PATH`, or a libSQL server URL (`libsql://`, `http(s)://`, `ws(s)://`). */
  url: string;
  authToken?: string;
  /** `full` survives power loss; `normal` survives a killed process (WAL). */
  synchronous?: "full" | "normal";
}

const SERVER_URL = /^(libsql|https?|wss?):\/\//;

/** Opens the database and applies the connection settings an embedded file needs (WAL, busy timeout). */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const local = !SERVER_URL.test(options.url);
  if (options.url.startsWith("file:")) ensureParentFolder(options.url);
  // One connection for an embedded database: the per-connection PRAGMAs below then hold for every statement.
  const client = createClient({
    url: options.url,
    ...(options.authToken ? { authToken: options.authToken } : {}),
    ...(local ? { concurrency: 1 } : {}),
  });
  if (local) {
    await enableIncrementalVacuum(client);
    if (options.url !== ":memory:") await client.execute("PRAGMA journal_mode = WAL");
    await client.execute("PRAGMA busy_timeout = 5000");
    await client.execute(`PRAGMA synchronous = ${options.synchronous === "normal" ? "NORMAL" : "FULL"}`);
    await client.execute("PRAGMA foreign_keys = ON");
  }
  const writer = options.url.startsWith("file:")
    ? fileBatchExecutor(options.url, options.synchronous ?? "full")
    : clientBatchExecutor(client, local);
  return {
    client,
    orm: drizzle(client, { schema }),
    writer,
    local,
    close: () => {
      writer.close();
      client.close();
    },
  };
}

/**
 * The database holds session history, job output and credential hashes: its folder is created
 * 0700 and the file 0600 (SQLite gives its -wal and -shm files the database file's mode).
 */
function ensureParentFolder(url: string): void {
  const path = databasePath(url);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, "a", 0o600));
}

/**
 * Deleted history leaves free pages; with incremental auto-vacuum the broker hands them back to the
 * file system a few at a time (`reclaimSpace`). A new database gets the mode before its first table;
 * a database made before this mode existed is rebuilt once (VACUUM).
 */
async function enableIncrementalVacuum(client: Client): Promise<void> {
  const INCREMENTAL = 2;
  const current = Number((await client.execute("PRAGMA auto_vacuum")).rows[0]?.[0]);
  if (current === INCREMENTAL) return;
  await client.execute("PRAGMA auto_vacuum = INCREMENTAL");
  const tables = Number((await client.execute("SELECT count(*) FROM sqlite_schema")).rows[0]?.[0]);
  if (tables > 0) await client.execute("VACUUM");
}
