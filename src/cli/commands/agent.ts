import { runAgent } from "../../agents/agent.ts";
import { systemClock } from "../../clock.ts";
import { agentConfigSchema, agentOptions, hostAgentSettings } from "../../config/agent-options.ts";
import { createLogger } from "../../log.ts";
import { type CliCommand, ExitCode, parseOptions } from "../command.ts";

export const agentCommand: CliCommand = {
  name: "agent",
  summary: "Run the agent on a lab host: register, long-poll for work, run labs and jobs",
  options: agentOptions,
  details:
    "The first start needs the enrollment token; the agent then keeps its own token in --work-dir and\n" +
    "re-attaches as the same host after a restart. Run it as root for the native runtime.",
  async run({ values, env, signal }) {
    const config = parseOptions(agentConfigSchema, agentOptions, values);
    const log = createLogger({ level: config.logLevel });
    await runAgent({
      brokerUrl: config.broker,
      ...(config.token ? { enrollToken: config.token } : {}),
      ...hostAgentSettings(config),
      env,
      clock: systemClock,
      log,
      signal,
    });
    return ExitCode.ok;
  },
};
