import type { Argv, CommandModule } from "yargs";
import type { LintArgs } from "./patterns-lint-run.js";

export function patternsLintCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "lint [dirs..]",
    describe: "report keywords too common to narrow the search (short, generic words), optionally measured on sample logs (exit 1 on a problem)",
    builder: (y: Argv) =>
      y
        .positional("dirs", { type: "string", array: true, default: [], describe: "pattern directories (default: the built-in library and the config's patterns)" })
        .option("sample", { type: "string", array: true, default: [], describe: "log file (plain or .gz) to measure how many lines each pattern's keywords hold (repeatable)" })
        .option("max-share", { type: "number", default: 0.01, describe: "with --sample: the share of lines a pattern's keywords may bring in without its regex matching them" }),
    handler: async (args) => {
      const { runLint } = await import("./patterns-lint-run.js");
      setExit(await runLint(args as unknown as LintArgs));
    },
  };
}
