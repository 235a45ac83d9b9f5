import type { Argv, CommandModule } from "yargs";
import type { ShowArgs } from "./patterns-show-run.js";

export function patternsShowCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "show <id>",
    describe: "show one pattern in full (regex, explanation, fix, examples, source)",
    builder: (y: Argv) =>
      y
        .positional("id", { type: "string", demandOption: true, describe: "pattern or field diagnosis id" })
        .option("patterns", { type: "string", array: true, default: [], describe: "also load this pattern directory (repeatable)" }),
    handler: async (args) => {
      const { runShow } = await import("./patterns-show-run.js");
      setExit(await runShow(args as unknown as ShowArgs));
    },
  };
}
