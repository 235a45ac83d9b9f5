import { readFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import type { Limits } from "../limits.js";
import { severities, type Severity } from "../match/pattern.js";
import { outputFormats, type OutputFormat } from "../report/render.js";

/** The file looked for in the current directory when --config is not given. */
export const defaultConfigName = ".bundle-analyze.yaml";

/**
 * Settings a team keeps beside its bundles instead of repeating flags. Flags given on the
 * command line win; `patterns` from the file come first and `--patterns` dirs after them
 * (a later directory replaces an earlier pattern with the same id).
 */
export interface CliConfig {
  /** Absolute paths, resolved against the config file's folder. */
  patterns: string[];
  failOn?: Severity;
  format?: OutputFormat;
  jobs?: number;
  limits: Partial<Limits>;
  /** Where the settings came from, for messages; undefined when there was no file. */
  file?: string;
}

/** Config key → Limits field: the same names as the CLI flags, camel-cased. */
const limitKeys: Record<string, keyof Limits> = {
  maxTotalBytes: "maxTotalBytes",
  maxEntries: "maxEntries",
  maxDepth: "maxNestingDepth",
  maxLineBytes: "maxLineBytes",
  maxFactFileBytes: "maxFactFileBytes",
  maxCompressionRatio: "maxCompressionRatio",
};

const topLevelKeys = ["patterns", "failOn", "format", "jobs", "limits"];

function configError(file: string, problem: string): BundleAnalyzeError {
  return new BundleAnalyzeError(`config ${file}: ${problem}`, "E_USAGE");
}

/** Validates a parsed config document; every mistake names the key and what is allowed. */
export function parseConfig(doc: unknown, file: string, absolutePath = resolve(file)): CliConfig {
  const config: CliConfig = { patterns: [], limits: {}, file };
  if (doc === null || doc === undefined) return config;
  if (typeof doc !== "object" || Array.isArray(doc)) throw configError(file, "must be a YAML mapping");
  const o = doc as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!topLevelKeys.includes(key)) throw configError(file, `unknown key "${key}" (allowed: ${topLevelKeys.join(", ")})`);
  }
  if (o.patterns !== undefined) {
    const list = Array.isArray(o.patterns) ? o.patterns : [o.patterns];
    if (list.some((d) => typeof d !== "string" || d === "")) throw configError(file, '"patterns" must be a list of directories');
    config.patterns = (list as string[]).map((d) => resolve(dirname(absolutePath), d));
  }
  if (o.failOn !== undefined) {
    if (!severities.includes(o.failOn as Severity)) throw configError(file, `"failOn" must be one of ${severities.join(", ")}`);
    config.failOn = o.failOn as Severity;
  }
  if (o.format !== undefined) {
    if (!outputFormats.includes(o.format as OutputFormat)) throw configError(file, `"format" must be one of ${outputFormats.join(", ")}`);
    config.format = o.format as OutputFormat;
  }
  if (o.jobs !== undefined) {
    if (typeof o.jobs !== "number" || !Number.isInteger(o.jobs) || o.jobs < 1) throw configError(file, '"jobs" must be a whole number of at least 1');
    config.jobs = o.jobs;
  }
  if (o.limits !== undefined) {
    if (typeof o.limits !== "object" || o.limits === null || Array.isArray(o.limits)) throw configError(file, '"limits" must be a mapping');
    for (const [key, value] of Object.entries(o.limits as Record<string, unknown>)) {
      const field = limitKeys[key];
      if (!field) throw configError(file, `unknown limit "${key}" (allowed: ${Object.keys(limitKeys).join(", ")})`);
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) throw configError(file, `limit "${key}" must be a non-negative number`);
      config.limits[field] = value;
    }
  }
  return config;
}

/**
 * Reads --config FILE (which must exist), or `.bundle-analyze.yaml` in the current
 * directory when present; no file means no settings.
 */
export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<CliConfig> {
  const file = resolve(cwd, explicit ?? defaultConfigName);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if (!explicit && (err as NodeJS.ErrnoException).code === "ENOENT") return { patterns: [], limits: {} };
    throw new BundleAnalyzeError(`cannot read config ${explicit ?? defaultConfigName}: ${errorMessage(err)}`, "E_USAGE", { cause: err });
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 50 });
  } catch (err) {
    throw configError(explicit ?? defaultConfigName, `not valid YAML: ${errorMessage(err)}`);
  }
  return parseConfig(doc, explicit ?? defaultConfigName, file);
}
