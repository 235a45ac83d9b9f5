import { readdir } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import { compareStrings } from "./sort.js";

/** True when an argument should be expanded as a glob rather than opened as a path. */
export function hasGlobChars(arg: string): boolean {
  return /[*?[\]{}]/.test(arg);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * One path segment of a glob as a regex: `*` any run of characters, `?` one character,
 * `[abc]`/`[!abc]` a class, `{a,b}` alternatives. Like a shell, `*` and `?` do not match a
 * leading dot.
 */
export function segmentRegExp(segment: string): RegExp {
  let out = "";
  let i = 0;
  let braces = 0;
  while (i < segment.length) {
    const c = segment[i] as string;
    if (c === "*") {
      out += "[^/]*";
      while (segment[i + 1] === "*") i++;
    } else if (c === "?") {
      out += "[^/]";
    } else if (c === "[") {
      const end = segment.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
      } else {
        let body = segment.slice(i + 1, end);
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        out += `[${body.replace(/\\/g, "\\\\")}]`;
        i = end;
      }
    } else if (c === "{") {
      braces++;
      out += "(?:";
    } else if (c === "}" && braces > 0) {
      braces--;
      out += ")";
    } else if (c === "," && braces > 0) {
      out += "|";
    } else {
      out += escapeRegex(c);
    }
    i++;
  }
  out += ")".repeat(braces);
  const dotSafe = segment.startsWith(".") ? "" : "(?!\\.)";
  return new RegExp(`^${dotSafe}${out}$`);
}

/**
 * Expands a glob (with `**` for any number of folders) to the files and folders it names,
 * sorted. Symbolic links are not followed, as nowhere else in the tool.
 */
export async function expandGlob(pattern: string, cwd = process.cwd()): Promise<string[]> {
  const segments = pattern.split("/");
  let base = isAbsolute(pattern) ? "/" : cwd;
  let start = 0;
  // Literal leading segments are the folder to start from.
  while (start < segments.length - 1 && !hasGlobChars(segments[start] as string)) {
    const seg = segments[start] as string;
    if (seg !== "" && seg !== ".") base = join(base, seg);
    start++;
  }
  const found = new Set<string>();
  const walk = async (dir: string, index: number): Promise<void> => {
    if (index === segments.length) {
      found.add(dir);
      return;
    }
    const seg = segments[index] as string;
    if (seg === "" || seg === ".") return walk(dir, index + 1);
    if (!hasGlobChars(seg)) {
      const next = join(dir, seg);
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      const hit = entries.find((e) => e.name === seg);
      if (hit && (index === segments.length - 1 || hit.isDirectory())) await walk(next, index + 1);
      return;
    }
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => compareStrings(a.name, b.name));
    if (seg === "**") {
      await walk(dir, index + 1);
      for (const e of entries) {
        if (e.name.startsWith(".")) continue;
        if (e.isDirectory()) await walk(join(dir, e.name), index);
        else if (e.isFile() && index === segments.length - 1) found.add(join(dir, e.name));
      }
      return;
    }
    const re = segmentRegExp(seg);
    const last = index === segments.length - 1;
    for (const e of entries) {
      if (!re.test(e.name)) continue;
      if (last ? e.isFile() || e.isDirectory() : e.isDirectory()) await walk(join(dir, e.name), index + 1);
    }
  };
  await walk(resolve(base), start);
  return [...found].sort(compareStrings);
}
