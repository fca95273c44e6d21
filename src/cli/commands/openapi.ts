import { z } from "zod";
import { systemClock } from "../../clock.ts";
import { silentLogger } from "../../log.ts";
import type { OptionTable } from "../../config/option-spec.ts";
import { type CliCommand, ExitCode, parseOptions } from "../command.ts";

const openapiOptions = {
  format: {
    flag: "format",
    kind: "string",
    placeholder: "json|yaml",
    description: "Output format",
    schema: z.enum(["json", "yaml"]),
    default: "json",
  },
} satisfies OptionTable;

export const openapiCommand: CliCommand = {
  name: "openapi",
  summary: "Print the broker's OpenAPI 3.1 document",
  options: openapiOptions,
  async run({ values, io }) {
    const { format } = parseOptions(openapiOptions, values);
    const [{ openBrokerApp }, { DEFAULT_ENGINE_SETTINGS }, { buildOpenApiDocument, openApiYaml }] = await Promise.all([
      import("../../broker.ts"),
      import("../../engine/context.ts"),
      import("../../routes/system/openapi-document.ts"),
    ]);
    const broker = await openBrokerApp({
      database: { db: ":memory:", dbSync: "normal" },
      log: silentLogger,
      clock: systemClock,
      settings: DEFAULT_ENGINE_SETTINGS,
      enrollToken: "openapi-document-only",
      housekeeping: false,
    });
    const document = buildOpenApiDocument(broker.app);
    await broker.close();
    io.stdout(format === "json" ? JSON.stringify(document, null, 2) + "\n" : openApiYaml(document));
    return ExitCode.ok;
  },
};
