import { readdir, readFile } from "node:fs/promises";
import { basename, dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import { readCompiledLibrary } from "./compiled-library.js";
import type { Pattern } from "./pattern.js";
import { validatePattern } from "./validate.js";

/** The patterns shipped with the tool: <package>/patterns, next to dist/ and src/. */
export const builtinPatternDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "patterns");

export interface PatternLibrary {
  patterns: Pattern[];
  /** Built-in ids replaced by a user pattern with the same id. */
  overridden: { id: string; by: string }[];
}

async function listYamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    throw new BundleAnalyzeError(`cannot read pattern directory ${dir}: ${errorMessage(err)}`, "E_PATTERN_INVALID");
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listYamlFiles(full)));
    else if (e.isFile() && /\.ya?ml$/.test(e.name)) out.push(full);
  }
  return out;
}

/** Loads and validates every pattern file of one directory (areas are its sub-folders). */
export async function loadPatternDir(dir: string, user: boolean): Promise<Pattern[]> {
  const files = await listYamlFiles(dir);
  // Loaded here, not at start-up: the built-in library usually comes precompiled.
  const { parse: parseYaml } = await import("yaml");
  const patterns: Pattern[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const rel = relative(dir, file);
    const parts = rel.split(sep);
    const expected = { id: basename(file).replace(/\.ya?ml$/, ""), ...(parts.length > 1 ? { area: parts[parts.length - 2] } : {}) };
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(file, "utf8"), { maxAliasCount: 50 });
    } catch (err) {
      throw new BundleAnalyzeError(`pattern ${rel}: not valid YAML: ${errorMessage(err)}`, "E_PATTERN_INVALID");
    }
    const pattern = validatePattern(doc, user ? file : rel, expected, user);
    const previous = seen.get(pattern.id);
    if (previous) throw new BundleAnalyzeError(`pattern ${rel}: id "${pattern.id}" is already used by ${previous}`, "E_PATTERN_INVALID");
    seen.set(pattern.id, rel);
    patterns.push(pattern);
  }
  return patterns;
}

/** The built-in library plus user directories; a user pattern with a built-in id replaces it. */
export async function loadLibrary(userDirs: string[] = [], builtinDir = builtinPatternDir): Promise<PatternLibrary> {
  const byId = new Map<string, Pattern>();
  // The build's compiled copy when it matches the folder byte for byte; else the YAML.
  const builtin = readCompiledLibrary(builtinDir) ?? (await loadPatternDir(builtinDir, false));
  for (const p of builtin) byId.set(p.id, p);
  const overridden: PatternLibrary["overridden"] = [];
  for (const dir of userDirs) {
    for (const p of await loadPatternDir(dir, true)) {
      if (byId.has(p.id) && !byId.get(p.id)?.user) overridden.push({ id: p.id, by: p.file });
      byId.set(p.id, p);
    }
  }
  const patterns = [...byId.values()].sort((a, b) => a.id.localeCompare(b.id));
  return { patterns, overridden };
}
