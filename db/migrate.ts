import type { Client } from "@libsql/client";
import type { EmbeddedMigration } from "./migration-journal.ts";

const BREAKPOINT = "--> statement-breakpoint";

/**
 * Applies the embedded migrations that are newer than the last recorded one, each in its own
 * transaction, bookkept in drizzle's own `__drizzle_migrations` table so drizzle-kit agrees.
 * Returns the tags it applied.
 */
export async function applyMigrations(client: Client, migrations: readonly EmbeddedMigration[]): Promise<string[]> {
  await client.execute(
    "CREATE TABLE IF NOT EXISTS __drizzle_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, hash text NOT NULL, created_at numeric)",
  );
  const last = await client.execute("SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 1");
  const lastApplied = Number(last.rows[0]?.created_at ?? -1);
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.when <= lastApplied) continue;
    const statements = migration.sql.split(BREAKPOINT).map((part) => part.trim()).filter(Boolean);
    await client.batch(
      [
        ...statements,
        {
          sql: "INSERT INTO __drizzle_migrations (hash, created_at) VALUES (?, ?)",
          args: [await sha256Hex(migration.sql), migration.when],
        },
      ],
      "write",
    );
    applied.push(migration.tag);
  }
  return applied;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
