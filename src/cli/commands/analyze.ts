import type { Argv, CommandModule } from "yargs";
import { loadLibrary } from "../../match/load.js";
import { severities, severityRank, type Severity } from "../../match/pattern.js";
import { analyzeBundle } from "../../pipeline/analyze.js";
import { formatFromPath, outputFormats, prepareReport, renderReport, type OutputFormat } from "../../report/render.js";
import { renderTerminalSummary } from "../../report/terminal.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import { limitsFromArgs, withLimitOptions, type LimitArgs } from "../limit-options.js";
import { writeAtomically, writeStdout } from "../output.js";

interface AnalyzeArgs extends LimitArgs {
  bundle: string;
  output?: string;
  format?: OutputFormat;
  patterns: string[];
  failOn?: Severity;
  quiet: boolean;
  redact: boolean;
  obfuscate: boolean;
  config?: string;
}

async function runAnalyze(args: AnalyzeArgs): Promise<number> {
  const config = await loadConfig(args.config);
  const format: OutputFormat = args.format ?? formatFromPath(args.output) ?? config.format ?? "md";
  const failOn = args.failOn ?? config.failOn;
  const library = await loadLibrary([...config.patterns, ...args.patterns]);
  const report = await analyzeBundle(args.bundle, { library, limits: limitsFromArgs(args, config.limits) });
  if (!args.redact) report.warnings.push({ code: "redaction-off", message: "redaction was turned off with --no-redact; the report may contain secrets" });
  const rendered = renderReport(report, format, args.redact, { obfuscate: args.obfuscate });
  if (args.output) await writeAtomically(args.output, rendered);
  else await writeStdout(rendered);

  if (!args.quiet && process.stderr.isTTY) {
    const color = !process.env.NO_COLOR && process.env.TERM !== "dumb";
    // The summary shows what the report shows: redacted and, when asked, obfuscated.
    const safe = prepareReport(report, args.redact, { obfuscate: args.obfuscate });
    process.stderr.write(renderTerminalSummary(safe, { color, ...(args.output ? { writtenTo: args.output } : {}) }));
  }
  if (failOn) {
    const threshold = severityRank(failOn);
    if (report.findings.some((f) => severityRank(f.severity) >= threshold)) return exitCodes.findings;
  }
  return exitCodes.ok;
}

/** The default command: `bundle-analyze <bundle>` (also `bundle-analyze analyze <bundle>`). */
export function analyzeCommand(setExit: (code: number) => void): CommandModule {
  return {
    command: ["$0 <bundle>", "analyze <bundle>"],
    describe: "analyse one bundle (the default command)",
    builder: (y: Argv) =>
      withLimitOptions(
        y
          .positional("bundle", { type: "string", demandOption: true, describe: "support bundle: archive (.tar.gz/.tgz/.tar...) or extracted folder" })
          .option("output", { alias: "o", type: "string", describe: "write the report here (format from the extension) instead of stdout" })
          .option("format", { alias: "f", choices: outputFormats, describe: "report format: md (default), json, html" })
          .option("patterns", { type: "string", array: true, default: [], describe: "extra pattern directory (repeatable); same id replaces a built-in" })
          .option("fail-on", { choices: severities, describe: "exit 1 when a finding at or above this severity exists" })
          .option("redact", { type: "boolean", default: true, describe: "redact secrets in the report (--no-redact turns it off)" })
          .option("obfuscate", { type: "boolean", default: false, describe: "replace IPs and host names with consistent pseudonyms" })
          .option("quiet", { alias: "q", type: "boolean", default: false, describe: "no summary on stderr" }),
      ),
    handler: async (args) => {
      setExit(await runAnalyze(args as unknown as AnalyzeArgs));
    },
  };
}
