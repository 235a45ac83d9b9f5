import { spawnSync } from "node:child_process";
import type { Pattern } from "../match/pattern.js";

/**
 * The library as `grep -E -f` input: each convertible regex, kept only when GNU grep
 * accepts it and it matches every one of the pattern's own example lines.
 */
export function grepPatterns(patterns: readonly Pattern[]): string[] {
  const out: string[] = [];
  for (const p of patterns) {
    const re = toGrepRegex(p);
    if (re === undefined) continue;
    const lines = p.examples.match.map((m) => m.line);
    const run = spawnSync("grep", ["-E", "-c", "-e", re], { input: `${lines.join("\n")}\n`, env: { ...process.env, LC_ALL: "C" }, encoding: "utf8" });
    if (run.status === 0 && Number(run.stdout.trim()) === lines.length) out.push(re);
  }
  return out;
}

/**
 * Rewrites a pattern's JavaScript regex as a GNU `grep -E` expression, for the baseline
 * an engineer runs by hand (`tar xzOf bundle | grep -E -f patterns`). Named and
 * non-capturing groups become plain groups, \d becomes [0-9], lazy quantifiers greedy
 * (same lines match), case-insensitive letters become [aA] classes. Lookarounds have no
 * ERE form: such a pattern is left out (undefined) and counted by the caller.
 */
export function toGrepRegex(pattern: Pattern): string | undefined {
  const src = pattern.regex.source;
  if (/\(\?<?[=!]/.test(src)) return undefined;
  const fold = pattern.caseInsensitive;
  let out = "";
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    const next = src[i + 1] ?? "";
    if (c === "\\") {
      i++;
      out += escapeOutside(next);
      continue;
    }
    if (c === "[") {
      const cls = bracket(src, i, fold);
      if (!cls) return undefined;
      out += cls.text;
      i = cls.end;
      continue;
    }
    if (c === "(" && next === "?") {
      const named = /^\(\?<[A-Za-z_][A-Za-z0-9_]*>/.exec(src.slice(i));
      if (named) {
        out += "(";
        i += named[0].length - 1;
        continue;
      }
      if (src.startsWith("(?:", i)) {
        out += "(";
        i += 2;
        continue;
      }
      return undefined;
    }
    if ((c === "*" || c === "+" || c === "?" || c === "}") && next === "?") {
      out += c;
      i++;
      continue;
    }
    out += fold && /[a-zA-Z]/.test(c) ? `[${bothCases(c)}]` : c;
  }
  return out;
}

/**
 * A JS character class from src[at] = "[" as a POSIX bracket expression: "]" first, "-"
 * last, escapes resolved, "\n" dropped (a line never holds one). Returns where it ended.
 */
function bracket(src: string, at: number, fold: boolean): { text: string; end: number } | undefined {
  let i = at + 1;
  const negated = src[i] === "^";
  if (negated) i++;
  const items: string[] = [];
  let closeBracket = false;
  let dash = false;
  for (; i < src.length && src[i] !== "]"; i++) {
    let c = src[i] as string;
    if (c === "\\") {
      const e = src[++i] ?? "";
      const named: Record<string, string> = { d: "0-9", s: "[:space:]", w: "[:alnum:]_", t: "\t" };
      if (named[e]) {
        items.push(named[e]);
        continue;
      }
      if (e === "n" || e === "r") continue;
      if (/[DSWbB]/.test(e)) return undefined;
      c = e;
    } else if (c === "-" && items.length > 0 && src[i + 1] !== "]") {
      items.push("-");
      continue;
    }
    if (c === "]") closeBracket = true;
    else if (c === "-") dash = true;
    else items.push(fold && /[a-zA-Z]/.test(c) ? bothCases(c) : c);
  }
  // Ranges were pushed as "a", "-", "z": keep them together; a lone "-" item is a range marker.
  let body = items.join("");
  if (closeBracket) body = `]${body}`;
  if (dash) body = `${body}-`;
  if (body === "") return negated ? { text: ".", end: i } : undefined;
  return { text: `[${negated ? "^" : ""}${body}]`, end: i };
}

/** One escape sequence of a JS regex outside a bracket expression. */
function escapeOutside(e: string): string {
  const classes: Record<string, string> = { d: "[0-9]", D: "[^0-9]", s: "[[:space:]]", S: "[^[:space:]]", w: "[[:alnum:]_]", W: "[^[:alnum:]_]", t: "\t" };
  if (classes[e]) return classes[e];
  if (e === "b" || e === "B") return `\\${e}`;
  // Punctuation escapes stay escaped; grep knows them all.
  return /[A-Za-z0-9]/.test(e) ? e : `\\${e}`;
}

function bothCases(c: string): string {
  return `${c.toLowerCase()}${c.toUpperCase()}`;
}
