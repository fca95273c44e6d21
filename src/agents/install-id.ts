import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const FILE = "install-id";

/**
 * A random id for this installation of the agent, made once and kept in its work dir. The broker
 * uses it to tell two machines that claim the same host name apart; a copied work dir copies it.
 */
export function loadOrCreateInstallId(workDir: string): string {
  const path = join(workDir, FILE);
  try {
    const stored = readFileSync(path, "utf8").trim();
    if (/^[A-Za-z0-9-]{8,64}$/.test(stored)) return stored;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const id = randomUUID();
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  writeFileSync(path, `${id}\n`, { mode: 0o600 });
  return id;
}
