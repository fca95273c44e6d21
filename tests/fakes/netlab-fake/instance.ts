import { readStatus } from "./lab-state.ts";
import { errorAndExit, isQuiet, print } from "./netlab-log.ts";

/** `-i/--instance ID`: look the instance up in the status file and work in its directory. */
export function changeToInstance(env: NodeJS.ProcessEnv, instance: string, command: string): void {
  const record = readStatus(env)[instance];
  if (!record) errorAndExit(command, `Unknown instance ${instance}`, ["Use 'netlab status --all' to display the list of lab instances"]);
  process.chdir(record.dir);
  if (!isQuiet()) print(`[CHANGED] Selected instance ${instance}, current directory changed to ${record.dir}`);
}
