import { loadLibrary } from "../../match/load.js";
import { severityRank, type Severity } from "../../match/pattern.js";
import { analyzeBundle } from "../../pipeline/analyze.js";
import { formatFromPath, prepareReport, renderReport, type OutputFormat } from "../../report/render.js";
import { renderTerminalSummary } from "../../report/terminal.js";
import { loadConfig } from "../config.js";
import { exitCodes } from "../exit-codes.js";
import { limitsFromArgs, type LimitArgs } from "../limit-options.js";
import { writeAtomically, writeStdout } from "../output.js";

export interface AnalyzeArgs extends LimitArgs {
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

export async function runAnalyze(args: AnalyzeArgs): Promise<number> {
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
