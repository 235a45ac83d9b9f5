import type { Pattern } from "../match/pattern.js";
import { displayPath } from "./display-path.js";

/** Where a pattern came from, as a user would open it: patterns/<area>/<id>.yaml or their own path. */
export function patternLocation(p: Pattern): string {
  return p.user ? displayPath(p.file) : `patterns/${p.file.split("\\").join("/")}`;
}

/** The pattern as its author wrote it (field order of docs/patterns.md), for `patterns show`. */
export function patternDocument(p: Pattern): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    area: p.area,
    severity: p.severity,
    keywords: p.keywords,
    regex: p.regex.source,
    ...(p.caseInsensitive ? { flags: "i" } : {}),
    ...(p.components.length ? { components: p.components } : {}),
    summary: p.summary,
    explanation: p.explanation,
    fix: p.fix,
    ...(p.references.length ? { references: p.references } : {}),
    source: p.source,
    examples: {
      match: p.examples.match.map((m) => (m.captures ? { line: m.line, captures: m.captures } : { line: m.line })),
      noMatch: p.examples.noMatch,
    },
  };
}
