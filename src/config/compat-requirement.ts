import { z } from "zod";
import { type RuntimeName, RUNTIMES } from "../protocol/runtimes.ts";
import { keyValueListSchema } from "./value-schemas.ts";

/** `runtime=netlab`, `host=lab-3`, anything else a label. */
export const compatRequirementSchema = keyValueListSchema
  .transform((pairs, context) => {
    const requirement = { labels: {} as Record<string, string>, runtime: null as RuntimeName | null, host: null as string | null };
    for (const pair of pairs) {
      const [key, value] = pair.split("=") as [string, string];
      if (key === "runtime") {
        if (!(RUNTIMES as readonly string[]).includes(value)) {
          context.addIssue({ code: "custom", message: `runtime must be one of ${RUNTIMES.join(", ")}` });
          return z.NEVER;
        }
        requirement.runtime = value as RuntimeName;
      } else if (key === "host") requirement.host = value;
      else requirement.labels[key] = value;
    }
    return requirement;
  });
