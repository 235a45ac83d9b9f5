import { resolve } from "node:path";
import { builtinPatternDir } from "../../match/load.js";
import { loadConfig } from "../config.js";
import { displayPath } from "../display-path.js";
import { exitCodes } from "../exit-codes.js";
import { writeStdout } from "../output.js";
import { checkPatternDir, type ExampleFailure } from "../pattern-examples.js";

export interface TestArgs {
  dirs: string[];
  config?: string;
}

function display(path: string): string {
  if (path === builtinPatternDir || path.startsWith(`${builtinPatternDir}/`)) return `patterns${path.slice(builtinPatternDir.length)}`;
  return displayPath(path);
}

function failureLine(f: ExampleFailure): string {
  return `FAIL ${f.file}${f.id ? ` (${f.id})` : ""}: ${f.message}`;
}

export async function runTest(args: TestArgs): Promise<number> {
  const config = await loadConfig(args.config);
  const dirs = args.dirs.length ? args.dirs.map((d) => resolve(d)) : [builtinPatternDir, ...config.patterns];
  const lines: string[] = [];
  let patterns = 0;
  let examples = 0;
  let failures = 0;
  for (const dir of dirs) {
    const check = await checkPatternDir(dir, display);
    patterns += check.patterns.length;
    examples += check.examples;
    failures += check.failures.length;
    const verdict = check.failures.length ? `${check.failures.length} failure${check.failures.length === 1 ? "" : "s"}` : "ok";
    lines.push(`${display(dir)}: ${check.patterns.length} pattern${check.patterns.length === 1 ? "" : "s"}, ${check.examples} examples: ${verdict}`);
    for (const f of check.failures) lines.push(`  ${failureLine(f)}`);
  }
  const total = failures ? `${failures} failure${failures === 1 ? "" : "s"}` : "all examples pass";
  lines.push(`${patterns} pattern${patterns === 1 ? "" : "s"}, ${examples} examples: ${total}`);
  await writeStdout(`${lines.join("\n")}\n`);
  return failures ? exitCodes.findings : exitCodes.ok;
}
