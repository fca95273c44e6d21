import type { Client, InStatement, InValue } from "@libsql/client";
import Libsql from "libsql";
import { databasePath } from "./database-path.ts";

/** Runs a list of statements as one write transaction. */
export interface BatchExecutor {
  run(statements: readonly InStatement[]): Promise<void>;
  /** Returns up to `pages` free pages to the file system (incremental vacuum), between commits. */
  reclaimSpace(pages: number): Promise<void>;
  close(): void;
}

const incrementalVacuum = (pages: number) => `PRAGMA incremental_vacuum(${Math.max(1, Math.floor(pages))})`;

/** Through the libSQL client: in-memory and server databases. */
export function clientBatchExecutor(client: Client, local: boolean): BatchExecutor {
  return {
    run: async (statements) => {
      await client.batch([...statements], "write");
    },
    // A libSQL server manages its own space.
    reclaimSpace: async (pages) => {
      if (local) await client.execute(incrementalVacuum(pages));
    },
    close: () => {},
  };
}

/**
 * A dedicated write connection to an embedded database file that keeps its prepared statements:
 * the client re-prepares every statement it runs, which is most of the cost of a group commit.
 * Readers use the client's connection and see each commit (WAL).
 */
export function fileBatchExecutor(url: string, synchronous: "full" | "normal"): BatchExecutor {
  const connection = new Libsql(databasePath(url), { timeout: 5000 });
  connection.exec(`PRAGMA synchronous = ${synchronous === "normal" ? "NORMAL" : "FULL"}`);
  connection.exec("PRAGMA foreign_keys = ON");
  const prepared = new Map<string, Libsql.Statement<[InValue[] | Record<string, InValue>]>>();
  const begin = connection.prepare("BEGIN IMMEDIATE");
  const commit = connection.prepare("COMMIT");
  const rollback = connection.prepare("ROLLBACK");
  const statementFor = (sql: string) => {
    let statement = prepared.get(sql);
    if (!statement) {
      statement = connection.prepare(sql) as Libsql.Statement<[InValue[] | Record<string, InValue>]>;
      prepared.set(sql, statement);
    }
    return statement;
  };
  return {
    run: async (statements) => {
      begin.run();
      try {
        for (const statement of statements) {
          if (typeof statement === "string") statementFor(statement).run([]);
          else statementFor(statement.sql).run(statement.args ?? []);
        }
        commit.run();
      } catch (error) {
        if (connection.inTransaction) rollback.run();
        throw error;
      }
    },
    // Stepped to the end outside a transaction: the pragma frees one page per step.
    reclaimSpace: async (pages) => {
      connection.prepare(incrementalVacuum(pages)).all([]);
    },
    close: () => connection.close(),
  };
}
