import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { databasePath } from "../../db/database-path.ts";

/** The file beside the database where the broker saves the admin token it generated at its first start. */
export function adminTokenFileOf(databaseUrl: string): string | null {
  return databaseUrl.startsWith("file:") ? join(dirname(databasePath(databaseUrl)), "admin-token") : null;
}

/** Where client commands on the broker's machine look last: the token file of the default database (`./data`). */
export const DEFAULT_TOKEN_FILE = "./data/admin-token";

/** Writes a secret readable by this user only (its folder made 0700 when created here). */
export function writeSecretFile(path: string, secret: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
}

/** The secret in a file (first line, trimmed); null when there is no such file. */
export function readSecretFile(path: string): string | null {
  const absolute = resolve(path);
  if (!existsSync(absolute)) return null;
  return readFileSync(absolute, "utf8").split("\n")[0]!.trim() || null;
}
