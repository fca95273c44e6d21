import { systemClock } from "../../clock.ts";
import { databaseConfigSchema, databaseOptions } from "../../config/database-options.ts";
import { createLogger } from "../../log.ts";
import { type CliCommand, ExitCode, parseConfig, UsageError } from "../command.ts";

const enrollTokenOptions = { db: databaseOptions.db, dbAuthToken: databaseOptions.dbAuthToken };

export const enrollTokenCommand: CliCommand = {
  name: "enroll-token",
  summary: "Make a new enrollment token for agents (the broker keeps only a hash, so a lost one cannot be shown)",
  positionals: "rotate",
  options: enrollTokenOptions,
  details: "rotate: stores a new token in the broker's database and prints it once; the old one stops enrolling\n" +
    "agents at once, also in a running broker. Registered agents keep working (they have their own tokens).\n" +
    "A broker started with --enroll-token / LABBROKER_ENROLL_TOKEN stores that one again at its next start.",
  async run({ values, positionals, io }) {
    if (positionals.length !== 1 || positionals[0] !== "rotate") {
      throw new UsageError(`expected "rotate", got ${positionals.length ? `"${positionals.join(" ")}"` : "nothing"}`);
    }
    const config = parseConfig(databaseConfigSchema, enrollTokenOptions, values);
    const [{ openMigratedDatabase }, { rotateEnrollmentToken }] = await Promise.all([
      import("../../broker.ts"),
      import("../../engine/agents/enrollment.ts"),
    ]);
    const db = await openMigratedDatabase(config, createLogger({ level: "warn" }));
    try {
      const token = await rotateEnrollmentToken(db.orm, systemClock.now());
      io.stdout(`${token}\n`);
      io.stderr(
        "New enrollment token stored; the previous one no longer enrolls agents. Start an agent with:\n  LABBROKER_ENROLL_TOKEN=TOKEN labbroker agent --broker URL\n",
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};
