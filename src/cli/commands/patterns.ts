import type { Argv, CommandModule } from "yargs";
import { patternsListCommand } from "./patterns-list.js";
import { patternsShowCommand } from "./patterns-show.js";
import { patternsTestCommand } from "./patterns-test.js";

/** `bundle-analyze patterns <list|show|test>`: the library as a user sees and extends it. */
export function patternsCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "patterns",
    describe: "list, show and test patterns",
    builder: (y: Argv) =>
      y
        .command(patternsListCommand(setExit))
        .command(patternsShowCommand(setExit))
        .command(patternsTestCommand(setExit))
        .demandCommand(1, "name a patterns command: list, show or test"),
    handler: () => undefined,
  };
}
