import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";

const CredentialsSchema = z.object({ broker: z.string(), name: z.string(), agent_id: z.string(), agent_token: z.string() });
export type AgentCredentials = z.infer<typeof CredentialsSchema>;

const FILE = "agent.json";

/** The agent token from an earlier registration with this broker under this name, if any. */
export function loadCredentials(workDir: string, broker: string, name: string): AgentCredentials | null {
  try {
    const stored = CredentialsSchema.parse(JSON.parse(readFileSync(join(workDir, FILE), "utf8")));
    return stored.broker === broker && stored.name === name ? stored : null;
  } catch {
    return null;
  }
}

/** Kept readable by the agent's user only: the token lets anyone act as this host. */
export function saveCredentials(workDir: string, credentials: AgentCredentials): void {
  mkdirSync(workDir, { recursive: true, mode: 0o700 });
  const temporary = join(workDir, `${FILE}.tmp`);
  writeFileSync(temporary, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  renameSync(temporary, join(workDir, FILE));
}
