/**
 * Compiles labbroker into one self-contained executable (bytecode, minified but for names):
 * `bun scripts/build.ts [--outfile PATH]`.
 * The libSQL native addon is chosen by a dynamic `require` that a compiled binary cannot follow
 * outside the source tree, so a plugin pins it to this platform's package, which Bun then embeds.
 */
import { parseArgs } from "node:util";
import type { BunPlugin } from "bun";
import { $ } from "dax";

const { values } = parseArgs({ options: { outfile: { type: "string", default: "dist/labbroker" } } });

const nativeTarget = `${process.platform}-${process.arch}-${process.platform === "linux" ? "gnu" : ""}`.replace(/-$/, "");

const embedLibsqlAddon: BunPlugin = {
  name: "embed-libsql-addon",
  setup(build) {
    build.onLoad({ filter: /[\\/]node_modules[\\/]libsql[\\/]index\.js$/ }, async (args) => {
      const source = await Bun.file(args.path).text();
      const pinned = source.replace("require(`@libsql/${target}`)", `require("@libsql/${nativeTarget}")`);
      if (pinned === source) throw new Error("libsql/index.js changed: cannot find the native addon require to pin");
      return { contents: pinned, loader: "js" };
    });
  },
};

const commit = (await $`git rev-parse --short HEAD`.noThrow().quiet().text()).trim() || "unknown";

const result = await Bun.build({
  entrypoints: ["main.ts"],
  compile: { outfile: values.outfile, autoloadDotenv: false, autoloadBunfig: false },
  // Measured (BENCHMARKS.md): bytecode starts the binary about a third faster, and with the bundle
  // minified it holds ~3 MiB less when idle. Names stay, so stack traces and logs still read.
  bytecode: true,
  format: "esm",
  minify: { whitespace: true, syntax: true, identifiers: false },
  define: { LABBROKER_BUILD_COMMIT: JSON.stringify(commit) },
  plugins: [embedLibsqlAddon],
});
if (!result.success) {
  for (const message of result.logs) process.stderr.write(`${message}\n`);
  process.exit(1);
}
process.stdout.write(`built ${values.outfile} (commit ${commit})\n`);
