import { availableParallelism } from "node:os";
import { join, relative } from "node:path";
import type { Argv, CommandModule } from "yargs";
import { indexHasFindingAtOrAbove } from "../../batch/index-build.js";
import { createProgress, type ProgressMode } from "../../batch/progress.js";
import { runBatch } from "../../batch/run-batch.js";
import { parseShard } from "../../batch/shard.js";
import { BundleAnalyzeError } from "../../errors.js";
import { severities, type Severity } from "../../match/pattern.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import { limitsFromArgs, withLimitOptions, type LimitArgs } from "../limit-options.js";

interface BatchArgs extends LimitArgs {
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

/**
 * Generous: a 5 GB bundle reads in about a minute here. The limit is for the bundle that
 * never finishes (a parser stuck on hostile input), which would otherwise hold a worker,
 * and the whole batch, forever.
 */
const defaultBundleTimeoutSeconds = 1800;

function shown(path: string): string {
  return relative(process.cwd(), path) || ".";
}

async function runBatchCommand(args: BatchArgs): Promise<number> {
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

export function batchCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: "batch <inputs..>",
    describe: "analyse every bundle under folders or globs in parallel; per-bundle reports plus index.md/index.json",
    builder: (y: Argv) =>
      withLimitOptions(
        y
          .positional("inputs", { type: "string", array: true, demandOption: true, describe: "folders, bundles or quoted globs ('archive/2025-*/**/*.tar.gz')" })
          .option("out", { type: "string", demandOption: true, describe: "folder for the reports and the index (created; reused to resume)" })
          .option("jobs", { alias: "j", type: "number", describe: `worker threads (default: CPU cores, ${availableParallelism()} here)` })
          .option("bundle-timeout", { type: "number", default: defaultBundleTimeoutSeconds, describe: "seconds one bundle may take before it is stopped and listed as failed (0: no limit)" })
          .option("force", { type: "boolean", default: false, describe: "re-analyse bundles whose reports are up to date" })
          .option("shard", { type: "string", describe: "K/N: analyse only this machine's deterministic share (see docs/batch.md)" })
          .option("patterns", { type: "string", array: true, default: [], describe: "extra pattern directory (repeatable); same id replaces a built-in" })
          .option("fail-on", { choices: severities, describe: "exit 1 when any bundle has a finding at or above this severity" })
          .option("redact", { type: "boolean", default: true, describe: "redact secrets in the reports (--no-redact turns it off)" })
          .option("obfuscate", { type: "boolean", default: false, describe: "replace IPs and host names with consistent pseudonyms" })
          .option("quiet", { alias: "q", type: "boolean", default: false, describe: "no progress or summary on stderr" }),
      ),
    handler: async (args) => {
      setExit(await runBatchCommand(args as unknown as BatchArgs));
    },
  };
}
