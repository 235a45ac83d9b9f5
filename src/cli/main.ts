#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import { escapeControlChars } from "../ingest/paths.js";
import { toolVersion } from "../version.js";
import { analyzeCommand } from "./commands/analyze.js";
import { batchCommand } from "./commands/batch.js";
import { explainCommand } from "./commands/explain.js";
import { mergeCommand } from "./commands/merge.js";
import { patternsCommand } from "./commands/patterns.js";
import { exitCodes } from "./exit-codes.js";
import { installBrokenPipeHandler } from "./output.js";

export { exitCodes } from "./exit-codes.js";

/** Parses the command line, runs one command, and is the only place errors are printed. */
export async function main(argv: string[]): Promise<number> {
  installBrokenPipeHandler();
  const debug = argv.includes("--debug");
  let exitCode: number = exitCodes.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };
  const parser = yargs(argv)
    .scriptName("bundle-analyze")
    .usage(
      "$0 <bundle> [options]\n\nAnalyse a Kubernetes support bundle (.tar.gz, .tgz, .tar, ... or a folder) and write a report.\n" +
        "Other commands: batch, merge, patterns list|show|test, explain (see $0 <command> --help).",
    )
    .option("config", { type: "string", global: true, describe: "settings file (default: .bundle-analyze.yaml in the current directory, when present)" })
    .option("debug", { type: "boolean", default: false, global: true, describe: "show stack traces on errors" })
    .command(analyzeCommand(setExit))
    .command(batchCommand(setExit))
    .command(mergeCommand(setExit))
    .command(patternsCommand(setExit))
    .command(explainCommand(setExit))
    .version(toolVersion)
    .help()
    .alias("h", "help")
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new BundleAnalyzeError(`${msg} (see --help)`, "E_USAGE");
    })
    .epilogue("Exit codes: 0 done, 1 findings at or above --fail-on (or a failing pattern example), 2 usage error or unreadable input.");
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (err) {
    if (debug && err instanceof Error) process.stderr.write(`${err.stack ?? err.message}\n`);
    const message = err instanceof BundleAnalyzeError ? err.message : `unexpected error: ${errorMessage(err)} (run with --debug for details)`;
    // Messages name user-given paths: a hostile file name must not drive the terminal.
    process.stderr.write(`bundle-analyze: ${escapeControlChars(message)}\n`);
    return exitCodes.error;
  }
}

// If a stream stalls with nothing left to wake it, Node exits quietly with code 0 and no
// report. That must never look like success: until main settles, the exit code is 2.
let settled = false;
process.exitCode = exitCodes.error;
process.on("beforeExit", () => {
  if (!settled) {
    settled = true;
    process.stderr.write("bundle-analyze: internal error: the analysis stopped before it finished (a stream stalled); no report was written. Please report this with --debug output.\n");
  }
});

main(hideBin(process.argv)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (err: unknown) => {
    settled = true;
    process.stderr.write(`bundle-analyze: ${escapeControlChars(errorMessage(err))}\n`);
    process.exitCode = exitCodes.error;
  },
);
