import type { Argv, CommandModule } from "yargs";
import type { ExplainArgs } from "./explain-run.js";

export function explainCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "explain <id>",
    describe: "explain a finding id: what it means, why it happens, how to fix it",
    builder: (y: Argv) =>
      y
        .positional("id", { type: "string", demandOption: true, describe: "finding id, as in a report (e.g. konnectivity-agent-unreachable)" })
        .option("patterns", { type: "string", array: true, default: [], describe: "also load this pattern directory (repeatable)" }),
    handler: async (args) => {
      const { runExplain } = await import("./explain-run.js");
      setExit(await runExplain(args as unknown as ExplainArgs));
    },
  };
}
