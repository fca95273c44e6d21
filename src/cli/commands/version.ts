import { BUILD_COMMIT, VERSION } from "../../version.ts";
import { type CliCommand, ExitCode } from "../command.ts";

export const versionCommand: CliCommand = {
  name: "version",
  summary: "Print the version and the git commit it was built from",
  options: {},
  async run({ io }) {
    io.stdout(`labbroker ${VERSION} (commit ${BUILD_COMMIT ?? "unknown: running from source"})\n`);
    return ExitCode.ok;
  },
};
