import type { Argv, CommandModule } from "yargs";
import type { ListArgs } from "./patterns-list-run.js";

export function patternsListCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "list",
    describe: "list the patterns and field diagnoses (id, area, severity, title)",
    builder: (y: Argv) =>
      y
        .option("area", { type: "string", describe: "only this area (e.g. etcd, k0s, kernel)" })
        .option("patterns", { type: "string", array: true, default: [], describe: "also load this pattern directory (repeatable)" })
        .option("long", { alias: "l", type: "boolean", default: false, describe: "add each entry's source (where its example text comes from, or its documentation page)" })
        .option("json", { type: "boolean", default: false, describe: "print JSON instead of a table" }),
    handler: async (args) => {
      const { runList } = await import("./patterns-list-run.js");
      setExit(await runList(args as unknown as ListArgs));
    },
  };
}
