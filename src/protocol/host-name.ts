import { z } from "zod";

/** A host's name as agents register it (also the agent's --name flag). */
export const HostNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "host names are 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
