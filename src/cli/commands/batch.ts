import type { Argv, CommandModule } from "yargs";
import { availableParallelism } from "node:os";
import { severities } from "../../match/pattern.js";
import { withLimitOptions } from "../limit-options.js";
import type { BatchArgs } from "./batch-run.js";

/**
 * Generous: a 5 GB bundle reads in about a minute here. The limit is for the bundle that
 * never finishes (a parser stuck on hostile input), which would otherwise hold a worker,
 * and the whole batch, forever.
 */
const defaultBundleTimeoutSeconds = 1800;

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
      const { runBatchCommand } = await import("./batch-run.js");
      setExit(await runBatchCommand(args as unknown as BatchArgs));
    },
  };
}
