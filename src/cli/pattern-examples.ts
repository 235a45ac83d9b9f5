import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join, relative, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import { LineMatcher } from "../match/matcher.js";
import type { Pattern } from "../match/pattern.js";
import { validatePattern } from "../match/validate.js";

/** One thing wrong with a pattern file: it does not load, or one of its examples fails. */
export interface ExampleFailure {
  file: string;
  id?: string;
  message: string;
}

export interface PatternDirCheck {
  dir: string;
  patterns: Pattern[];
  examples: number;
  failures: ExampleFailure[];
}

async function listYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const names = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of names) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listYamlFiles(full)));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(full);
  }
  return out;
}

function quote(line: string): string {
  return JSON.stringify(line.length > 160 ? `${line.slice(0, 157)}...` : line);
}

/**
 * The checks test/patterns.test.ts runs on the built-in library, for any directory: every
 * `match` example goes through the analyzer's own LineMatcher (prefilter included) and must
 * give exactly this pattern with the listed captures; every `noMatch` example must not match.
 */
export function checkExamples(pattern: Pattern, file: string): { examples: number; failures: ExampleFailure[] } {
  const failures: ExampleFailure[] = [];
  const fail = (message: string): void => {
    failures.push({ file, id: pattern.id, message });
  };
  const matcher = new LineMatcher([pattern]);
  pattern.examples.match.forEach((example, i) => {
    const hits = matcher.match(example.line);
    const hit = hits.find((h) => h.pattern.id === pattern.id);
    if (!hit) {
      const why = pattern.regex.test(example.line)
        ? "contains none of the keywords, so the prefilter would hide the match"
        : "does not match the regex";
      fail(`match example ${i + 1} ${why}: ${quote(example.line)}`);
      return;
    }
    for (const [name, expected] of Object.entries(example.captures ?? {})) {
      const actual = hit.captures[name];
      if (actual !== expected) fail(`match example ${i + 1}: capture "${name}" is ${actual === undefined ? "missing" : JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    }
  });
  pattern.examples.noMatch.forEach((line, i) => {
    if (pattern.regex.test(line)) fail(`noMatch example ${i + 1} matches but must not: ${quote(line)}`);
  });
  const recovery = pattern.recovery;
  if (!recovery) return { examples: pattern.examples.match.length + pattern.examples.noMatch.length, failures };
  const recovers = (line: string): boolean => {
    const text = pattern.caseInsensitive ? line.toLowerCase() : line;
    return recovery.keywords.some((k) => text.includes(k)) && recovery.regex.test(line);
  };
  recovery.examples.match.forEach((line, i) => {
    if (!recovers(line)) fail(`recovery example ${i + 1} holds no recovery keyword or does not match recovery.regex: ${quote(line)}`);
    else if (pattern.regex.test(line)) fail(`recovery example ${i + 1} also matches the failure regex: ${quote(line)}`);
  });
  recovery.examples.noMatch.forEach((line, i) => {
    if (recovers(line)) fail(`recovery noMatch example ${i + 1} counts as recovery but must not: ${quote(line)}`);
  });
  const count = pattern.examples.match.length + pattern.examples.noMatch.length + recovery.examples.match.length + recovery.examples.noMatch.length;
  return { examples: count, failures };
}

/**
 * Loads every pattern file of a directory on its own (one broken file does not hide the
 * others), then runs the examples. `display` turns a path into what the user should see.
 */
export async function checkPatternDir(dir: string, display: (path: string) => string = (p) => p): Promise<PatternDirCheck> {
  let files: string[];
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error("not a directory");
    files = await listYamlFiles(dir);
  } catch (err) {
    throw new BundleAnalyzeError(`cannot read pattern directory ${display(dir)}: ${errorMessage(err)}`, "E_USAGE", { cause: err });
  }
  const result: PatternDirCheck = { dir, patterns: [], examples: 0, failures: [] };
  if (files.length === 0) {
    result.failures.push({ file: display(dir), message: "holds no pattern files (*.yaml, one pattern per file, in <area>/ folders)" });
    return result;
  }
  const seen = new Map<string, string>();
  for (const file of files) {
    const shown = display(file);
    const parts = relative(dir, file).split(sep);
    const expected = { id: basename(file).replace(/\.ya?ml$/, ""), ...(parts.length > 1 ? { area: parts[parts.length - 2] } : {}) };
    let pattern: Pattern;
    try {
      const doc: unknown = parseYaml(await readFile(file, "utf8"), { maxAliasCount: 50 });
      pattern = validatePattern(doc, shown, expected, true);
    } catch (err) {
      // validatePattern's message already starts with "pattern <file>:"; keep only the reason.
      // YAML errors span several lines (with a caret drawing); the first one says what is wrong.
      const message = (errorMessage(err).split("\n")[0] ?? "").replace(/:$/, "").replace(/^pattern .*?: (?=field|not valid)/, "");
      result.failures.push({ file: shown, message: err instanceof BundleAnalyzeError ? message : `not valid YAML: ${message}` });
      continue;
    }
    const previous = seen.get(pattern.id);
    if (previous) {
      result.failures.push({ file: shown, id: pattern.id, message: `id is already used by ${previous}` });
      continue;
    }
    seen.set(pattern.id, shown);
    result.patterns.push(pattern);
    const checked = checkExamples(pattern, shown);
    result.examples += checked.examples;
    result.failures.push(...checked.failures);
  }
  return result;
}
