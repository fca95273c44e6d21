import { readFileSync } from "node:fs";
import { systemClock } from "../../clock.ts";
import { hostAgentOptions, hostAgentSettings } from "../../config/agent-options.ts";
import { brokerOptions, checkBrokerConsistency } from "../../config/broker-options.ts";
import { optionTableSchema } from "../../config/option-spec.ts";
import { generateToken } from "../../engine/tokens.ts";
import { createLogger } from "../../log.ts";
import { type CliCommand, ExitCode, parseConfig } from "../command.ts";
import { warnSecretsOnCommandLine } from "../secret-flags.ts";

const serveOptions = { ...brokerOptions, ...hostAgentOptions };

export const serveConfigSchema = optionTableSchema(serveOptions).superRefine(checkBrokerConsistency);

export const serveCommand: CliCommand = {
  name: "serve",
  summary: "Run the broker and an agent for this host in one process (zero-setup single host)",
  options: serveOptions,
  details: "The local agent talks to the broker over loopback HTTP, exactly like a remote agent, with a token made for this run.",
  async run({ values, signal, io, env }) {
    const config = parseConfig(serveConfigSchema, serveOptions, values);
    const [{ startBroker }, { runAgent }] = await Promise.all([import("../../broker.ts"), import("../../agents/agent.ts")]);
    const log = createLogger({ level: config.logLevel });
    warnSecretsOnCommandLine({ values, env }, serveOptions, ["adminToken", "enrollToken"], log);
    const broker = await startBroker(config, { log, clock: systemClock, print: io.stdout });
    const localToken = generateToken("lbe");
    broker.engine.allowEnrollmentToken(localToken);
    const agentStop = new AbortController();
    const agent = runAgent({
      brokerUrl: broker.localUrl,
      enrollToken: localToken,
      // Over HTTPS the local agent trusts the served certificate itself (it names localhost or 127.0.0.1).
      ...(config.tlsCert ? { caPem: readFileSync(config.tlsCert, "utf8") } : {}),
      ...hostAgentSettings(config),
      env,
      clock: systemClock,
      log: log.child({ component: "agent" }),
      signal: agentStop.signal,
    }).catch((error: unknown) => log.error("local agent failed", { error }));
    await new Promise((resolve) => signal.addEventListener("abort", resolve, { once: true }));
    await broker.stop({
      whileDraining: async () => {
        agentStop.abort();
        await agent;
      },
    });
    return ExitCode.ok;
  },
};
