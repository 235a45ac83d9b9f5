import type { Argv, CommandModule } from "yargs";
import { patternsLintCommand } from "./patterns-lint.js";
import { patternsListCommand } from "./patterns-list.js";
import { patternsShowCommand } from "./patterns-show.js";
import { patternsTestCommand } from "./patterns-test.js";

/** `bundle-analyze patterns <list|show|test|lint>`: the library as a user sees and extends it. */
export function patternsCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "patterns",
    describe: "list, show, test and lint patterns",
    builder: (y: Argv) =>
      y
        .command(patternsListCommand(setExit))
        .command(patternsShowCommand(setExit))
        .command(patternsTestCommand(setExit))
        .command(patternsLintCommand(setExit))
        .demandCommand(1, "name a patterns command: list, show, test or lint"),
    handler: () => undefined,
  };
}
