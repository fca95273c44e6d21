import { afterEach, describe, expect, test } from "bun:test";
import { createClient } from "@libsql/client";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Database, openDatabase } from "../db/connect.ts";
import { applyMigrations } from "../db/migrate.ts";
import { migrationJournalSchema } from "../db/migration-journal.ts";
import { embeddedMigrations } from "../db/migrations.generated.ts";

const migrationsFolder = join(import.meta.dir, "../db/migrations");
const journal = migrationJournalSchema.parse(JSON.parse(readFileSync(join(migrationsFolder, "meta/_journal.json"), "utf8")));

const opened: Database[] = [];
const temporaryFolders: string[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
  for (const folder of temporaryFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

async function open(url: string) {
  const db = await openDatabase({ url });
  opened.push(db);
  return db;
}

describe("embedded migrations", () => {
  test("match drizzle-kit's journal entry for entry, byte for byte", () => {
    expect(embeddedMigrations.map((migration) => [migration.tag, migration.when])).toEqual(
      journal.entries.map((entry) => [entry.tag, entry.when]),
    );
    for (const migration of embeddedMigrations) {
      expect(migration.sql).toBe(readFileSync(join(migrationsFolder, `${migration.tag}.sql`), "utf8"));
    }
  });

  test("apply every migration to an empty database", async () => {
    const db = await open(":memory:");
    expect(await applyMigrations(db.client, embeddedMigrations)).toEqual(embeddedMigrations.map((m) => m.tag));
    const tables = await db.client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables.rows.map((row) => row.name)).toContain("broker_settings");
  });

  test("apply nothing to an already migrated database and keep its data", async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-migrate-"));
    temporaryFolders.push(folder);
    const url = `file:${join(folder, "nested", "broker.db")}`;
    const first = await open(url);
    await applyMigrations(first.client, embeddedMigrations);
    await first.client.execute("INSERT INTO broker_settings (key, value) VALUES ('kept', 'yes')");
    first.close();
    opened.splice(opened.indexOf(first), 1);

    const second = await open(url);
    expect(await applyMigrations(second.client, embeddedMigrations)).toEqual([]);
    const kept = await second.client.execute("SELECT value FROM broker_settings WHERE key = 'kept'");
    expect(kept.rows[0]?.value).toBe("yes");
    const recorded = await second.client.execute("SELECT count(*) AS n FROM __drizzle_migrations");
    expect(Number(recorded.rows[0]?.n)).toBe(embeddedMigrations.length);
    const mode = await second.client.execute("PRAGMA journal_mode");
    expect(mode.rows[0]?.journal_mode).toBe("wal");
  });
});

describe("space reclaiming", () => {
  const autoVacuum = async (db: Database) => Number((await db.client.execute("PRAGMA auto_vacuum")).rows[0]?.[0]);

  test("a new database file is created with incremental auto-vacuum", async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-vacuum-"));
    temporaryFolders.push(folder);
    const db = await open(`file:${join(folder, "new.db")}`);
    await applyMigrations(db.client, embeddedMigrations);
    expect(await autoVacuum(db)).toBe(2);
  });

  test("a database made without it is converted once, keeping its data", async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-vacuum-"));
    temporaryFolders.push(folder);
    const url = `file:${join(folder, "old.db")}`;
    const old = createClient({ url });
    await old.execute("CREATE TABLE kept (x TEXT)");
    await old.execute("INSERT INTO kept VALUES ('still here')");
    expect(Number((await old.execute("PRAGMA auto_vacuum")).rows[0]?.[0])).toBe(0);
    old.close();

    const db = await open(url);
    expect(await autoVacuum(db)).toBe(2);
    expect((await db.client.execute("SELECT x FROM kept")).rows[0]?.[0]).toBe("still here");
  });
});
