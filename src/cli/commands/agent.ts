import { systemClock } from "../../clock.ts";
import { agentOptions, hostAgentSettings } from "../../config/agent-options.ts";
import { createLogger } from "../../log.ts";
import { readFileSync } from "node:fs";
import { readSecretFile } from "../../config/token-file.ts";
import { type CliCommand, ExitCode, parseOptions, UsageError } from "../command.ts";
import { warnSecretsOnCommandLine } from "../secret-flags.ts";

export const agentCommand: CliCommand = {
  name: "agent",
  summary: "Run the agent on a lab host: register, long-poll for work, run labs and jobs",
  options: agentOptions,
  details: "The first start needs the enrollment token (LABBROKER_ENROLL_TOKEN or --token-file); the agent then keeps\n" +
    "its own token in --work-dir (rotated by the broker whenever a session on this host ends) and\n" +
    "re-attaches as the same host after a restart. Run it as root for the native runtime.",
  async run({ values, env, signal }) {
    const config = parseOptions(agentOptions, values);
    const log = createLogger({ level: config.logLevel });
    warnSecretsOnCommandLine({ values, env }, agentOptions, ["token"], log);
    const enrollToken = config.token ?? (config.tokenFile ? readSecretFile(config.tokenFile) : null);
    if (config.tokenFile && !enrollToken) throw new UsageError(`--token-file ${config.tokenFile}: no such file, or it is empty`);
    const { runAgent } = await import("../../agents/agent.ts");
    await runAgent({
      brokerUrl: config.broker,
      ...(enrollToken ? { enrollToken } : {}),
      ...(config.caFile ? { caPem: readFileSync(config.caFile, "utf8") } : {}),
      ...hostAgentSettings(config),
      env,
      clock: systemClock,
      log,
      signal,
    });
    return ExitCode.ok;
  },
};
