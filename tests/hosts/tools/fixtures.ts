import { join } from "node:path";

/** The verified tool fixtures; CI checks out `../shared` beside the repository. */
export const FIXTURES = join(import.meta.dir, "../../../../shared/reference/fixtures");
