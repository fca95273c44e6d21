import { databaseConfigSchema, databaseOptions } from "../../config/database-options.ts";
import { type CliCommand, ExitCode, parseConfig } from "../command.ts";

const migrateOptions = { db: databaseOptions.db, dbAuthToken: databaseOptions.dbAuthToken };

export const migrateCommand: CliCommand = {
  name: "migrate",
  summary: "Apply the embedded database migrations and exit",
  options: migrateOptions,
  async run({ values, io }) {
    const config = parseConfig(databaseConfigSchema, migrateOptions, values);
    const [{ openDatabase }, { applyMigrations }, { embeddedMigrations }] = await Promise.all([
      import("../../../db/connect.ts"),
      import("../../../db/migrate.ts"),
      import("../../../db/migrations.generated.ts"),
    ]);
    const db = await openDatabase({ url: config.db, ...(config.dbAuthToken ? { authToken: config.dbAuthToken } : {}) });
    try {
      const applied = await applyMigrations(db.client, embeddedMigrations);
      io.stdout(
        applied.length > 0
          ? `applied ${applied.length} migration(s): ${applied.join(", ")}\n`
          : `database is up to date (${embeddedMigrations.length} migration(s))\n`,
      );
    } finally {
      db.close();
    }
    return ExitCode.ok;
  },
};
