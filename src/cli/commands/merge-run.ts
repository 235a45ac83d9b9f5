import { join, relative } from "node:path";
import { expandGlob, hasGlobChars } from "../../batch/glob.js";
import { indexHasFindingAtOrAbove } from "../../batch/index-build.js";
import { mergeShards } from "../../batch/merge.js";
import type { Severity } from "../../match/pattern.js";
import { exitCodes } from "../exit-codes.js";

export interface MergeArgs {
  dirs: string[];
  out: string;
  failOn?: Severity;
  quiet: boolean;
}

export async function runMerge(args: MergeArgs): Promise<number> {
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
