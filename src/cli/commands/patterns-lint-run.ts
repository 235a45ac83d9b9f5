import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { BundleAnalyzeError, errorMessage } from "../../errors.js";
import { KeywordShare, lintPatterns } from "../../match/lint.js";
import { builtinPatternDir, loadPatternDir } from "../../match/load.js";
import type { Pattern } from "../../match/pattern.js";
import { loadConfig } from "../config.js";
import { displayPath } from "../display-path.js";
import { exitCodes } from "../exit-codes.js";
import { writeStdout } from "../output.js";

export interface LintArgs {
  dirs: string[];
  sample: string[];
  maxShare: number;
  config?: string;
}

/** Feeds every line of a plain or gzipped log file to `share`. */
async function measure(file: string, share: KeywordShare): Promise<void> {
  let input: Readable = createReadStream(file);
  if (/\.gz$/.test(file)) input = input.pipe(createGunzip());
  const done = new Promise<void>((_, reject) => {
    input.once("error", reject);
  });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const read = (async () => {
    for await (const line of lines) share.add(line);
  })();
  await Promise.race([read, done]);
}

export async function runLint(args: LintArgs): Promise<number> {
  if (!(args.maxShare > 0 && args.maxShare < 1)) throw new BundleAnalyzeError(`--max-share ${String(args.maxShare)}: expected a share between 0 and 1, e.g. 0.01`, "E_USAGE");
  const config = await loadConfig(args.config);
  const dirs = args.dirs.length ? args.dirs.map((d) => resolve(d)) : [builtinPatternDir, ...config.patterns.map((d) => resolve(d))];
  const patterns: Pattern[] = [];
  for (const dir of dirs) patterns.push(...(await loadPatternDir(dir, dir !== builtinPatternDir)));
  const shown = (p: Pattern): string => (p.user ? displayPath(p.file) : `patterns/${p.file}`);

  const lines: string[] = [];
  const issues = lintPatterns(patterns);
  for (const i of issues) {
    const pattern = patterns.find((p) => p.id === i.id) as Pattern;
    lines.push(`${shown(pattern)} (${i.id}): keyword ${JSON.stringify(i.keyword)}: ${i.problem}`);
  }

  let sampled = "";
  let common: ReturnType<KeywordShare["over"]> = [];
  if (args.sample.length) {
    const share = new KeywordShare(patterns);
    for (const file of args.sample) {
      try {
        await measure(file, share);
      } catch (err) {
        throw new BundleAnalyzeError(`cannot read the sample ${displayPath(file)}: ${errorMessage(err)}`, "E_INPUT_UNREADABLE", { cause: err });
      }
    }
    common = share.over(args.maxShare);
    for (const c of common) {
      const pct = (x: number): string => `${(x * 100).toFixed(2)}%`;
      lines.push(`${shown(c.pattern)} (${c.pattern.id}): keywords ${c.pattern.keywords.map((k) => JSON.stringify(k)).join(", ")} are in ${pct(c.share)} of the sample's lines, the regex matches ${pct(c.matched)}: use a phrase only the matching lines have`);
    }
    sampled = `; ${share.lines} sample lines, ${common.length} pattern${common.length === 1 ? "" : "s"} over ${(args.maxShare * 100).toFixed(1)}%`;
  }
  const problems = issues.length + common.length;
  lines.push(`${patterns.length} pattern${patterns.length === 1 ? "" : "s"}: ${problems ? `${problems} problem${problems === 1 ? "" : "s"}` : "every keyword narrows the search"}${sampled}`);
  await writeStdout(`${lines.join("\n")}\n`);
  return problems ? exitCodes.findings : exitCodes.ok;
}
