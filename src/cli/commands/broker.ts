import { systemClock } from "../../clock.ts";
import { brokerConfigSchema, brokerOptions } from "../../config/broker-options.ts";
import { createLogger } from "../../log.ts";
import { type CliCommand, ExitCode, parseConfig } from "../command.ts";
import { warnSecretsOnCommandLine } from "../secret-flags.ts";

export const brokerCommand: CliCommand = {
  name: "broker",
  summary: "Run the broker: queue, database, REST API, /docs",
  options: brokerOptions,
  async run({ values, signal, io, env }) {
    const config = parseConfig(brokerConfigSchema, brokerOptions, values);
    const { startBroker } = await import("../../broker.ts");
    const log = createLogger({ level: config.logLevel });
    warnSecretsOnCommandLine({ values, env }, brokerOptions, ["adminToken", "enrollToken"], log);
    const broker = await startBroker(config, { log, clock: systemClock, print: io.stdout });
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    await broker.stop();
    return ExitCode.ok;
  },
};
