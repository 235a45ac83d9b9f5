import { BundleAnalyzeError } from "../errors.js";
import { asArray, asObj, asString, type Obj } from "../parse/facts/access.js";
import { backtrackingRisk, maxOverlappingLoops, type BacktrackingRisk } from "./backtracking.js";
import { severities, type Pattern, type PatternExampleMatch, type PatternRecovery, type Severity } from "./pattern.js";

const allowedKeys = new Set([
  "id", "title", "area", "severity", "keywords", "regex", "flags", "components", "platforms", "explains", "recovery",
  "summary", "explanation", "fix", "references", "source", "examples",
]);

/** An invalid pattern names its file, the field and what is wrong. */
function invalid(file: string, field: string, problem: string): BundleAnalyzeError {
  return new BundleAnalyzeError(`pattern ${file}: field "${field}" ${problem}`, "E_PATTERN_INVALID");
}

function backtrackingAdvice(risk: BacktrackingRisk): string {
  const part = JSON.stringify(risk.fragment);
  if (risk.kind === "exponential") {
    return `can backtrack catastrophically: the repeated part ${part} can match the same text in more than one way ` +
      "(nested quantifiers like (a+)+ or (\\w+\\s?)+, overlapping alternatives like (a|ab)*); rewrite it so each repetition can only match one way, e.g. with a negated class such as [^\"]*";
  }
  return `can backtrack catastrophically: ${part} has more than ${maxOverlappingLoops} unbounded repeats in a row that can read the same text ` +
    "(like .*a.*b.*c or \\w*\\w*\\w*), which is O(n^3) or worse on a long line; make the repeats exclusive (e.g. [^,]* up to a comma) or anchor them between literal text";
}

export function validatePattern(raw: unknown, file: string, expected: { id?: string; area?: string }, user: boolean): Pattern {
  const o = asObj(raw);
  if (!o) throw invalid(file, "(document)", "must be a YAML mapping");
  for (const key of Object.keys(o)) {
    if (!allowedKeys.has(key)) throw invalid(file, key, `is not a known key (allowed: ${[...allowedKeys].join(", ")})`);
  }
  const str = (key: string, required = true): string => {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) throw invalid(file, key, "is required");
      return "";
    }
    if (typeof v !== "string" || (required && v.trim() === "")) throw invalid(file, key, "must be a non-empty string");
    return v;
  };
  const strList = (key: string, required: boolean): string[] => {
    const v = o[key];
    if (v === undefined) {
      if (required) throw invalid(file, key, "is required");
      return [];
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string" || x === "")) throw invalid(file, key, "must be a list of non-empty strings");
    return v as string[];
  };

  const id = str("id");
  if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) throw invalid(file, "id", `"${id}" must be kebab-case`);
  if (expected.id && expected.id !== id) throw invalid(file, "id", `"${id}" must equal the file name "${expected.id}"`);
  const area = str("area");
  if (expected.area && expected.area !== area) throw invalid(file, "area", `"${area}" must equal the folder name "${expected.area}"`);
  const severity = str("severity") as Severity;
  if (!severities.includes(severity)) throw invalid(file, "severity", `must be one of ${severities.join(", ")}`);
  const flags = str("flags", false);
  if (flags !== "" && flags !== "i") throw invalid(file, "flags", 'may only be "i"');
  const caseInsensitive = flags === "i";
  const keywords = strList("keywords", true);
  if (keywords.length === 0) throw invalid(file, "keywords", "needs at least one literal keyword for the prefilter");
  if (caseInsensitive && keywords.some((k) => k !== k.toLowerCase())) throw invalid(file, "keywords", 'must be lower-case when flags is "i"');
  const regexSource = str("regex");
  let regex: RegExp;
  try {
    regex = new RegExp(regexSource, caseInsensitive ? "i" : "");
  } catch (err) {
    throw invalid(file, "regex", `does not compile: ${(err as Error).message}`);
  }
  // A regex cannot be interrupted once running: one that backtracks catastrophically would
  // hang the run on a single near-miss line, so it is refused before any line is read.
  // Shipped patterns are held to the same rule by the test suite, which spares every run
  // the check's start-up cost (about 4 ms a pattern).
  const risk = user ? backtrackingRisk(regexSource, caseInsensitive) : undefined;
  if (risk) throw invalid(file, "regex", `of pattern "${id}" ${backtrackingAdvice(risk)}`);

  const examples = asObj(o.examples);
  if (!examples) throw invalid(file, "examples", "is required (match and noMatch lists)");
  for (const key of Object.keys(examples)) {
    if (key !== "match" && key !== "noMatch") throw invalid(file, `examples.${key}`, "is not a known key (allowed: match, noMatch)");
  }
  const match: PatternExampleMatch[] = asArray(examples.match).map((m, i) => {
    const mo = asObj(m);
    const line = mo ? asString(mo.line) : asString(m);
    if (!line) throw invalid(file, `examples.match[${i}]`, "needs a `line`");
    if (mo) {
      for (const key of Object.keys(mo)) {
        if (key !== "line" && key !== "captures") throw invalid(file, `examples.match[${i}].${key}`, "is not a known key (allowed: line, captures)");
      }
    }
    const caps = mo ? asObj(mo.captures) : undefined;
    const captures: Record<string, string> | undefined = caps ? Object.fromEntries(Object.entries(caps).map(([k, v]) => [k, String(v)])) : undefined;
    return captures ? { line, captures } : { line };
  });
  if (match.length === 0) throw invalid(file, "examples.match", "needs at least one line that must match");
  const noMatch = asArray(examples.noMatch).map((m, i) => {
    const s = asString(m);
    if (!s) throw invalid(file, `examples.noMatch[${i}]`, "must be a string");
    return s;
  });
  if (noMatch.length === 0) throw invalid(file, "examples.noMatch", "needs at least one near miss that must not match");

  const platforms = strList("platforms", false);
  if (platforms.some((x) => !/^[a-z0-9][a-z0-9.-]*$/.test(x))) throw invalid(file, "platforms", "must be lower-case names (k3s, rke2, openshift, eks...)");
  const explains = strList("explains", false);
  if (explains.some((x) => !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(x) || x === id)) throw invalid(file, "explains", "must list other patterns' ids");
  const recovery = validateRecovery(o.recovery, file, caseInsensitive, user);

  return {
    id,
    title: str("title"),
    area,
    severity,
    keywords,
    regex,
    caseInsensitive,
    components: strList("components", false),
    platforms,
    explains,
    ...(recovery ? { recovery } : {}),
    summary: str("summary"),
    explanation: str("explanation"),
    fix: str("fix"),
    references: strList("references", false),
    source: str("source"),
    examples: { match, noMatch },
    file,
    user,
  };
}

export type { Obj };

/** `recovery: { keywords, regex, examples: { match, noMatch } }`: lines that say the failure cleared. */
function validateRecovery(raw: unknown, file: string, caseInsensitive: boolean, user: boolean): PatternRecovery | undefined {
  if (raw === undefined || raw === null) return undefined;
  const o = asObj(raw);
  if (!o) throw invalid(file, "recovery", "must be a mapping with keywords, regex and examples");
  for (const key of Object.keys(o)) {
    if (key !== "keywords" && key !== "regex" && key !== "examples") throw invalid(file, `recovery.${key}`, "is not a known key (allowed: keywords, regex, examples)");
  }
  const keywords = asArray(o.keywords).map((k) => asString(k) ?? "");
  if (keywords.length === 0 || keywords.some((k) => k === "")) throw invalid(file, "recovery.keywords", "needs at least one non-empty literal keyword");
  if (caseInsensitive && keywords.some((k) => k !== k.toLowerCase())) throw invalid(file, "recovery.keywords", 'must be lower-case when flags is "i"');
  const source = asString(o.regex);
  if (!source) throw invalid(file, "recovery.regex", "is required");
  let regex: RegExp;
  try {
    regex = new RegExp(source, caseInsensitive ? "i" : "");
  } catch (err) {
    throw invalid(file, "recovery.regex", `does not compile: ${(err as Error).message}`);
  }
  const risk = user ? backtrackingRisk(source, caseInsensitive) : undefined;
  if (risk) throw invalid(file, "recovery.regex", backtrackingAdvice(risk));
  const ex = asObj(o.examples);
  const lines = (key: "match" | "noMatch"): string[] => asArray(ex?.[key]).map((l, i) => {
    const s = asString(l);
    if (!s) throw invalid(file, `recovery.examples.${key}[${i}]`, "must be a string");
    return s;
  });
  const match = lines("match");
  const noMatch = lines("noMatch");
  if (match.length === 0) throw invalid(file, "recovery.examples.match", "needs at least one recovery line that must match");
  if (noMatch.length === 0) throw invalid(file, "recovery.examples.noMatch", "needs at least one line that must not count as recovery");
  return { keywords, regex, examples: { match, noMatch } };
}
