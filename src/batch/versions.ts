import { createHash } from "node:crypto";
import { defaultLimits, type Limits } from "../limits.js";
import type { PatternLibrary } from "../match/load.js";

function shortHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16);
}

/**
 * The pattern library's version: a hash of everything in the loaded patterns that can
 * change a report (examples cannot, so adding one does not invalidate old reports), plus
 * which built-in patterns user directories replaced.
 */
export function libraryVersion(library: PatternLibrary): string {
  const patterns = library.patterns.map((p) => ({
    id: p.id,
    title: p.title,
    area: p.area,
    severity: p.severity,
    keywords: p.keywords,
    regex: p.regex.source,
    caseInsensitive: p.caseInsensitive,
    components: p.components,
    summary: p.summary,
    explanation: p.explanation,
    fix: p.fix,
    references: p.references,
    source: p.source,
    user: p.user,
  }));
  return shortHash({ patterns, overridden: library.overridden.map((o) => o.id) });
}

/** Options that change a report's text: a report made with other ones is not reused. */
export interface AnalysisSettings {
  limits: Partial<Limits>;
  redact: boolean;
  obfuscate: boolean;
}

export function settingsKey(settings: AnalysisSettings): string {
  const limits: Limits = { ...defaultLimits, ...settings.limits };
  return shortHash({ limits: Object.fromEntries(Object.entries(limits).sort()), redact: settings.redact, obfuscate: settings.obfuscate });
}
