import type { Argv, CommandModule } from "yargs";
import { severities } from "../../match/pattern.js";
import type { MergeArgs } from "./merge-run.js";

export function mergeCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "merge <dirs..>",
    describe: "combine the --out folders of sharded batch runs into one index",
    builder: (y: Argv) =>
      y
        .positional("dirs", { type: "string", array: true, demandOption: true, describe: "--out folders of `batch --shard K/N` runs" })
        .option("out", { type: "string", demandOption: true, describe: "folder for the merged index (reports are copied into it)" })
        .option("fail-on", { choices: severities, describe: "exit 1 when any bundle has a finding at or above this severity" })
        .option("quiet", { alias: "q", type: "boolean", default: false, describe: "no summary on stderr" }),
    handler: async (args) => {
      const { runMerge } = await import("./merge-run.js");
      setExit(await runMerge(args as unknown as MergeArgs));
    },
  };
}
