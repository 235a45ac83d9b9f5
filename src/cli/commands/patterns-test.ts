import type { Argv, CommandModule } from "yargs";
import type { TestArgs } from "./patterns-test-run.js";

export function patternsTestCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "test [dirs..]",
    describe: "check pattern directories: each file loads and its match/noMatch examples hold (exit 1 on a failure)",
    builder: (y: Argv) =>
      y.positional("dirs", { type: "string", array: true, default: [], describe: "pattern directories (default: the built-in library and the config's patterns)" }),
    handler: async (args) => {
      const { runTest } = await import("./patterns-test-run.js");
      setExit(await runTest(args as unknown as TestArgs));
    },
  };
}
