import { z } from "zod";

/** A host label's key, as sessions ask for it and agents and admins set it. */
export const LabelKeySchema = z.string().regex(
  /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/,
  "label keys are 1-63 letters, digits, '.', '_', '/' or '-'",
);
