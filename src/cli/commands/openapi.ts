import { silentLogger } from "../../log.ts";
import { DEFAULT_LIMITS } from "../../broker.ts";
import { createBrokerApp } from "../../routes/app.ts";
import { buildOpenApiDocument, openApiYaml } from "../../routes/system/openapi-document.ts";
import { type CliCommand, ExitCode, parseOptions } from "../command.ts";
import { z } from "zod";

const openapiOptions = {
  format: { flag: "format", kind: "string", placeholder: "json|yaml", description: "Output format (default json)" },
} as const;

export const openapiCommand: CliCommand = {
  name: "openapi",
  summary: "Print the broker's OpenAPI 3.1 document",
  options: openapiOptions,
  async run({ values, io }) {
    const { format } = parseOptions(z.object({ format: z.enum(["json", "yaml"]).default("json") }), openapiOptions, values);
    const document = buildOpenApiDocument(createBrokerApp({ log: silentLogger, limits: DEFAULT_LIMITS }));
    io.stdout(format === "json" ? JSON.stringify(document, null, 2) + "\n" : openApiYaml(document));
    return ExitCode.ok;
  },
};
