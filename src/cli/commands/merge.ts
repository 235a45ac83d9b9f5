import { join, relative } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { expandGlob, hasGlobChars } from "../../batch/glob.js";
import { indexHasFindingAtOrAbove } from "../../batch/index-build.js";
import { mergeShards } from "../../batch/merge.js";
import { severities, type Severity } from "../../match/pattern.js";
import { exitCodes } from "../exit-codes.js";

interface MergeArgs {
  dirs: string[];
  out: string;
  failOn?: Severity;
  quiet: boolean;
}

async function runMerge(args: MergeArgs): Promise<number> {
  // A quoted glob (or a shell that does not expand) still names the shard folders.
  const dirs: string[] = [];
  for (const d of args.dirs) {
    const expanded = hasGlobChars(d) ? await expandGlob(d) : [];
    dirs.push(...(expanded.length ? expanded : [d]));
  }
  const index = await mergeShards(dirs, args.out);
  if (!args.quiet) {
    const t = index.totals;
    process.stderr.write(`merge: ${dirs.length} folder${dirs.length === 1 ? "" : "s"}, ${t.bundles} bundles (${t.failed} failed); index: ${relative(process.cwd(), join(args.out, "index.md"))}\n`);
  }
  if (args.failOn && indexHasFindingAtOrAbove(index, args.failOn)) return exitCodes.findings;
  return exitCodes.ok;
}

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
      setExit(await runMerge(args as unknown as MergeArgs));
    },
  };
}
