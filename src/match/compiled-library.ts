import { createHash, type Hash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Pattern } from "./pattern.js";

/**
 * The built-in library, validated and serialised at build time (dist/patterns.json).
 * Parsing 103 YAML files and checking every regex for catastrophic backtracking took 250
 * to 400 ms of every start; reading one JSON file takes a few. The file carries a
 * fingerprint of the pattern folder's content: a YAML file edited, added or removed after
 * the build makes it stale, and the loader then reads the YAML as before. So a stale or
 * missing file costs time, never correctness.
 */
export const compiledLibraryFile = join(dirname(fileURLToPath(import.meta.url)), "..", "patterns.json");

const compiledFormat = 2;

interface SerializedRegex { source: string; flags: string }
type SerializedPattern = Omit<Pattern, "regex" | "recovery"> & {
  regex: SerializedRegex;
  recovery?: Omit<NonNullable<Pattern["recovery"]>, "regex"> & { regex: SerializedRegex };
};

interface CompiledLibrary {
  format: number;
  fingerprint: string;
  patterns: SerializedPattern[];
}

function feedDir(hash: Hash, root: string, dir: string): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) feedDir(hash, root, full);
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) {
      hash.update(`${relative(root, full).split(sep).join("/")}\0`);
      hash.update(readFileSync(full));
      hash.update("\0");
    }
  }
}

/** sha256 over every YAML file's relative path and bytes, in sorted order. */
export function fingerprintPatternDir(dir: string): string {
  const hash = createHash("sha256");
  feedDir(hash, dir, dir);
  return hash.digest("hex");
}

/** The patterns of `dir` from the compiled file, or undefined when it is missing, stale or unreadable. */
export function readCompiledLibrary(dir: string, file = compiledLibraryFile): Pattern[] | undefined {
  let compiled: CompiledLibrary;
  try {
    compiled = JSON.parse(readFileSync(file, "utf8")) as CompiledLibrary;
    if (compiled.format !== compiledFormat || !Array.isArray(compiled.patterns)) return undefined;
    if (compiled.fingerprint !== fingerprintPatternDir(dir)) return undefined;
  } catch {
    return undefined;
  }
  return compiled.patterns.map(({ recovery, ...p }) => ({
    ...p,
    regex: new RegExp(p.regex.source, p.regex.flags),
    ...(recovery ? { recovery: { ...recovery, regex: new RegExp(recovery.regex.source, recovery.regex.flags) } } : {}),
  }));
}

/** Writes the compiled file for patterns already loaded (and so validated) from `dir`. */
export async function writeCompiledLibrary(dir: string, patterns: readonly Pattern[], file = compiledLibraryFile): Promise<void> {
  const compiled: CompiledLibrary = {
    format: compiledFormat,
    fingerprint: fingerprintPatternDir(dir),
    patterns: patterns.map(({ recovery, ...p }) => ({
      ...p,
      regex: { source: p.regex.source, flags: p.regex.flags },
      ...(recovery ? { recovery: { ...recovery, regex: { source: recovery.regex.source, flags: recovery.regex.flags } } } : {}),
    })),
  };
  await writeFile(file, `${JSON.stringify(compiled)}\n`);
}
