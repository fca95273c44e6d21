import { startBroker } from "../../broker.ts";
import { systemClock } from "../../clock.ts";
import { brokerConfigSchema, brokerOptions } from "../../config/broker-options.ts";
import { createLogger } from "../../log.ts";
import { type CliCommand, ExitCode, parseOptions } from "../command.ts";

export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Run the broker and an agent for this host in one process (zero-setup single host)",
  options: brokerOptions,
  async run({ values, signal, io }) {
    const config = parseOptions(brokerConfigSchema, brokerOptions, values);
    const log = createLogger({ level: config.logLevel });
    const broker = await startBroker(config, { log, clock: systemClock, print: io.stdout });
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    await broker.stop();
    return ExitCode.ok;
  },
};
