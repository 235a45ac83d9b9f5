#!/usr/bin/env node
import yargs from "yargs";
import { hideBin } from "yargs/helpers";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import { defaultLimits, type Limits } from "../limits.js";
import { loadLibrary } from "../match/load.js";
import { severities, severityRank, type Severity } from "../match/pattern.js";
import { analyzeBundle } from "../pipeline/analyze.js";
import { formatFromPath, outputFormats, renderReport, type OutputFormat } from "../report/render.js";
import { redactDeep } from "../report/redact.js";
import { renderTerminalSummary } from "../report/terminal.js";
import { toolVersion } from "../version.js";
import { installBrokenPipeHandler, writeAtomically, writeStdout } from "./output.js";

export const exitCodes = { ok: 0, findings: 1, error: 2 } as const;

interface AnalyzeArgs {
  bundle: string;
  output?: string;
  format?: OutputFormat;
  patterns: string[];
  failOn?: Severity;
  quiet: boolean;
  debug: boolean;
  redact: boolean;
  maxTotalBytes?: number;
  maxEntries?: number;
  maxDepth?: number;
  maxLineBytes?: number;
  maxFactFileBytes?: number;
  maxCompressionRatio?: number;
}

async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  const format: OutputFormat = args.format ?? formatFromPath(args.output) ?? "md";
  const library = await loadLibrary(args.patterns);
  const limits: Partial<Limits> = {
    ...(args.maxTotalBytes ? { maxTotalBytes: args.maxTotalBytes } : {}),
    ...(args.maxEntries ? { maxEntries: args.maxEntries } : {}),
    ...(args.maxDepth !== undefined ? { maxNestingDepth: args.maxDepth } : {}),
    ...(args.maxLineBytes ? { maxLineBytes: args.maxLineBytes } : {}),
    ...(args.maxFactFileBytes ? { maxFactFileBytes: args.maxFactFileBytes } : {}),
    ...(args.maxCompressionRatio ? { maxCompressionRatio: args.maxCompressionRatio } : {}),
  };
  const report = await analyzeBundle(args.bundle, { library, limits });
  if (!args.redact) report.warnings.push({ code: "redaction-off", message: "redaction was turned off with --no-redact; the report may contain secrets" });
  const rendered = renderReport(report, format, args.redact);
  if (args.output) await writeAtomically(args.output, rendered);
  else await writeStdout(rendered);

  if (!args.quiet && process.stderr.isTTY) {
    const color = !process.env.NO_COLOR && process.env.TERM !== "dumb";
    const safe = args.redact ? redactDeep(report) : report;
    process.stderr.write(renderTerminalSummary(safe, { color, ...(args.output ? { writtenTo: args.output } : {}) }));
  }
  if (args.failOn) {
    const threshold = severityRank(args.failOn);
    if (report.findings.some((f) => severityRank(f.severity) >= threshold)) return exitCodes.findings;
  }
  return exitCodes.ok;
}

export async function main(argv: string[]): Promise<number> {
  installBrokenPipeHandler();
  let debug = argv.includes("--debug");
  let exitCode: number = exitCodes.ok;
  const parser = yargs(argv)
    .scriptName("bundle-analyze")
    .usage("$0 <bundle> [options]\n\nAnalyse a Kubernetes support bundle (.tar.gz, .tgz, .tar or a folder) and write a report.")
    .command(
      "$0 <bundle>",
      "analyse one bundle",
      (y) =>
        y
          .positional("bundle", { type: "string", demandOption: true, describe: "support bundle: .tar.gz/.tgz/.tar file or extracted folder" })
          .option("output", { alias: "o", type: "string", describe: "write the report here (format from the extension) instead of stdout" })
          .option("format", { alias: "f", choices: outputFormats, describe: "report format: md (default), json, html" })
          .option("patterns", { type: "string", array: true, default: [], describe: "extra pattern directory (repeatable); same id replaces a built-in" })
          .option("fail-on", { choices: severities, describe: "exit 1 when a finding at or above this severity exists" })
          .option("redact", { type: "boolean", default: true, describe: "redact secrets in the report (--no-redact turns it off)" })
          .option("quiet", { alias: "q", type: "boolean", default: false, describe: "no summary on stderr" })
          .option("debug", { type: "boolean", default: false, describe: "show stack traces on errors" })
          .option("max-total-bytes", { type: "number", describe: `stop after this many decompressed bytes (default ${defaultLimits.maxTotalBytes})` })
          .option("max-entries", { type: "number", describe: `stop after this many archive entries (default ${defaultLimits.maxEntries})` })
          .option("max-depth", { type: "number", describe: `open archives nested this deep (default ${defaultLimits.maxNestingDepth})` })
          .option("max-line-bytes", { type: "number", describe: `keep this many bytes of a line (default ${defaultLimits.maxLineBytes})` })
          .option("max-fact-file-bytes", { type: "number", describe: `largest YAML/JSON/sysctl file parsed (default ${defaultLimits.maxFactFileBytes})` })
          .option("max-compression-ratio", { type: "number", describe: `treat higher inflation as a decompression bomb (default ${defaultLimits.maxCompressionRatio})` }),
      async (args) => {
        debug = args.debug;
        exitCode = await runAnalyze(args as unknown as AnalyzeArgs);
      },
    )
    .version(toolVersion)
    .help()
    .alias("h", "help")
    .strict()
    .wrap(Math.min(100, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new BundleAnalyzeError(`${msg} (see --help)`, "E_USAGE");
    })
    .epilogue("Exit codes: 0 report written, 1 findings at or above --fail-on, 2 usage error or unreadable input.");
  try {
    await parser.parseAsync();
    return exitCode;
  } catch (err) {
    if (debug && err instanceof Error) process.stderr.write(`${err.stack ?? err.message}\n`);
    const message = err instanceof BundleAnalyzeError ? err.message : `unexpected error: ${errorMessage(err)} (run with --debug for details)`;
    process.stderr.write(`bundle-analyze: ${message}\n`);
    return exitCodes.error;
  }
}

main(hideBin(process.argv)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bundle-analyze: ${errorMessage(err)}\n`);
    process.exitCode = exitCodes.error;
  },
);
