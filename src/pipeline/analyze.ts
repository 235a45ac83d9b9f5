import { basename } from "node:path";
import { BundleAnalyzeError } from "../errors.js";
import { ByteBudget, ReadLimitReached } from "../ingest/budget.js";
import { walkBundle, type WalkSummary } from "../ingest/walk.js";
import { WarningLog } from "../ingest/warnings.js";
import { defaultLimits, type Limits } from "../limits.js";
import type { PatternLibrary } from "../match/load.js";
import { LineMatcher } from "../match/matcher.js";
import type { Report } from "../report/model.js";
import { buildReport } from "./build-report.js";
import { BundleCollector } from "./collect.js";
import { errorishTriggers, type LineScanMode } from "./collect-log.js";

export interface AnalyzeOptions {
  library: PatternLibrary;
  limits?: Partial<Limits>;
  /** How many unclassified templates the report lists. */
  unclassifiedTop?: number;
  /** How log files are read: "blocks" (default, fast) or "lines" (the reference, for equivalence tests). */
  lineScan?: LineScanMode;
}

/** ingest → detect/parse → match → diagnose → report data. Rendering is the caller's. */
export async function analyzeBundle(inputPath: string, options: AnalyzeOptions): Promise<Report> {
  const limits: Limits = { ...defaultLimits, ...options.limits };
  const warnings = new WarningLog();
  for (const o of options.library.overridden) {
    warnings.add({ code: "pattern-override", path: o.by, message: `user pattern replaces the built-in pattern ${o.id}` });
  }
  const budget = new ByteBudget(limits);
  const matcher = new LineMatcher(options.library.patterns, { alsoFlag: errorishTriggers });
  const collector = new BundleCollector(matcher, limits, warnings, options.lineScan);
  const summary: WalkSummary = { container: "none" };
  try {
    for await (const entry of walkBundle(inputPath, { limits, warnings, budget }, summary)) {
      await collector.add(entry);
    }
  } catch (err) {
    // A limit hit while a file was being read ends the reading, not the analysis.
    if (!(err instanceof ReadLimitReached)) throw err;
    warnings.add({ code: err.code, message: err.message });
  }
  const collected = collector.result();
  if (collected.files.length === 0) {
    const why = warnings.list().map((w) => w.message).join("; ");
    throw new BundleAnalyzeError(`nothing in ${basename(inputPath)} could be read${why ? `: ${why}` : ""}`, "E_NOTHING_READABLE");
  }
  return buildReport(basename(inputPath), summary.container, collected, options.library, warnings, options.unclassifiedTop);
}

