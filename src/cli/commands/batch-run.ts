import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import { indexHasFindingAtOrAbove } from "../../batch/index-build.js";
import { createProgress, type ProgressMode } from "../../batch/progress.js";
import { runBatch } from "../../batch/run-batch.js";
import { parseShard } from "../../batch/shard.js";
import { BundleAnalyzeError } from "../../errors.js";
import type { Severity } from "../../match/pattern.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import { limitsFromArgs, type LimitArgs } from "../limit-options.js";

export interface BatchArgs extends LimitArgs {
  inputs: string[];
  out: string;
  jobs?: number;
  bundleTimeout: number;
  force: boolean;
  shard?: string;
  patterns: string[];
  failOn?: Severity;
  redact: boolean;
  obfuscate: boolean;
  quiet: boolean;
  config?: string;
}

/** Ctrl-C and SIGTERM (a Kubernetes pod being stopped) end the batch cleanly. */
function abortOnSignals(): { signal: AbortSignal; release: () => void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}


function shown(path: string): string {
  return relative(process.cwd(), path) || ".";
}

export async function runBatchCommand(args: BatchArgs): Promise<number> {
  const config = await loadConfig(args.config);
  const jobs = args.jobs ?? config.jobs ?? availableParallelism();
  if (!Number.isInteger(jobs) || jobs < 1) throw new BundleAnalyzeError(`--jobs ${String(args.jobs)}: expected a whole number of at least 1`, "E_USAGE");
  if (!Number.isFinite(args.bundleTimeout) || args.bundleTimeout < 0) throw new BundleAnalyzeError(`--bundle-timeout ${String(args.bundleTimeout)}: expected seconds (0 for no limit)`, "E_USAGE");
  const shard = args.shard !== undefined ? parseShard(args.shard) : undefined;
  const failOn = args.failOn ?? config.failOn;
  const mode: ProgressMode = args.quiet ? "none" : process.stderr.isTTY ? "tty" : "plain";
  const { signal, release } = abortOnSignals();
  let result;
  try {
    result = await runBatch({
      inputs: args.inputs,
      outDir: args.out,
      jobs,
      bundleTimeoutMs: Math.round(args.bundleTimeout * 1000),
      force: args.force,
      ...(shard ? { shard } : {}),
      patternDirs: [...config.patterns, ...args.patterns],
      limits: limitsFromArgs(args, config.limits),
      redact: args.redact,
      obfuscate: args.obfuscate,
      progress: createProgress(mode),
      signal,
    });
  } finally {
    release();
  }
  if (result.interrupted || !result.index) {
    process.stderr.write(`bundle-analyze: batch interrupted after ${result.finished} of ${result.selected} bundles; finished reports are kept: run the same command again to resume\n`);
    return exitCodes.interrupted;
  }
  if (!args.quiet) {
    const slice = shard ? ` (shard ${shard.index}/${shard.count})` : "";
    process.stderr.write(
      `batch${slice}: ${result.selected} bundle${result.selected === 1 ? "" : "s"}: ${result.analysed} analysed, ${result.skipped} unchanged, ${result.failed} failed; index: ${shown(join(args.out, "index.md"))}\n`,
    );
  }
  if (failOn && indexHasFindingAtOrAbove(result.index, failOn)) return exitCodes.findings;
  return exitCodes.ok;
}
