import type { CliCommand } from "../command.ts";
import { agentCommand } from "./agent.ts";
import { brokerCommand } from "./broker.ts";
import { enrollTokenCommand } from "./enroll-token.ts";
import { eventsCommand } from "./events.ts";
import { hostsCommand } from "./hosts.ts";
import { jobCommand } from "./job.ts";
import { labCommand } from "./lab.ts";
import { migrateCommand } from "./migrate.ts";
import { openapiCommand } from "./openapi.ts";
import { queueCommand } from "./queue.ts";
import { runCommand } from "./run.ts";
import { serveCommand } from "./serve.ts";
import { sessionCommand } from "./session.ts";
import { tokenCommand } from "./token.ts";
import { versionCommand } from "./version.ts";

/**
 * Every subcommand, in the order `labbroker help` lists them. Adding one is a file plus a line here.
 * A command imports the broker, the agent and the database in its `run` (import()), not at the top:
 * the client commands then start without their code and the SQLite addon (tests/cli/cli-imports.test.ts).
 */
export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  brokerCommand,
  agentCommand,
  sessionCommand,
  labCommand,
  runCommand,
  jobCommand,
  hostsCommand,
  queueCommand,
  eventsCommand,
  migrateCommand,
  tokenCommand,
  enrollTokenCommand,
  openapiCommand,
  versionCommand,
];
