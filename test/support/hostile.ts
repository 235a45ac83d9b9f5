import { spawnSync } from "node:child_process";
import { readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { repoRoot, type CliRun } from "./cli.js";

const cli = fileURLToPath(new URL("../../dist/cli/main.js", import.meta.url));

/** Loaded before the CLI: reports the process's peak resident memory on its last stderr line. */
const rssProbe = `data:text/javascript,${encodeURIComponent("process.on('exit',()=>process.stderr.write('\\npeak-rss-kib='+process.resourceUsage().maxRSS+'\\n'))")}`;

export interface MeasuredRun extends CliRun {
  peakRssMiB: number;
}

/** Runs the built CLI and measures its peak RSS from inside the child (no external tool needed). */
export function runCliMeasured(args: string[], timeoutMs = 120_000): MeasuredRun {
  const r = spawnSync(process.execPath, ["--import", rssProbe, cli, ...args], { encoding: "utf8", cwd: repoRoot, env: { ...process.env, NO_COLOR: "1" }, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs });
  const m = /\npeak-rss-kib=(\d+)\n$/.exec(r.stderr ?? "");
  return {
    code: r.status ?? -1,
    stdout: r.stdout ?? "",
    stderr: (r.stderr ?? "").replace(/\npeak-rss-kib=\d+\n$/, ""),
    peakRssMiB: m ? Number(m[1]) / 1024 : Number.NaN,
  };
}

/** No error leaks a stack trace or more than one line. */
export function expectOneLineError(run: CliRun): string | undefined {
  if (run.code !== 2) return undefined;
  const lines = run.stderr.trim().split("\n");
  if (lines.length !== 1 || !lines[0]?.startsWith("bundle-analyze: ")) return `expected one error line, got: ${run.stderr}`;
  return undefined;
}

export function hasStackTrace(text: string): boolean {
  return /^\s+at .+[:(]\d+/m.test(text) || /\bError: .*\n\s+at /.test(text);
}

/**
 * A gzip stream of several identical members: a few MB on disk that inflate to `members`
 * times `memberBytes` (gunzip reads concatenated members as one stream).
 */
export function gzipBomb(memberBytes: number, members: number, newlines: boolean): Buffer {
  const content = Buffer.alloc(memberBytes, "a");
  if (newlines) for (let i = 99; i < memberBytes; i += 100) content[i] = 0x0a;
  const member = gzipSync(content, { level: 9 });
  return Buffer.concat(Array.from({ length: members }, () => member));
}

/** Every file and folder under `root`, relative, sorted: to prove nothing was written. */
export async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      out.push(relative(root, full) + (e.isDirectory() ? "/" : ""));
      if (e.isDirectory() && !e.isSymbolicLink()) await walk(full);
    }
  };
  await walk(root);
  return out.sort();
}

/** Rewrites one field of the first tar header and fixes its checksum: absurd values on purpose. */
export function patchTarHeader(tar: Buffer, offset: number, bytes: Buffer, headerStart = 0): Buffer {
  const out = Buffer.from(tar);
  bytes.copy(out, headerStart + offset);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (out[headerStart + i] ?? 0);
  Buffer.from(`${sum.toString(8).padStart(6, "0")}\0 `, "latin1").copy(out, headerStart + 148);
  return out;
}

/** Header field offsets of a ustar header. */
export const tarField = { size: 124, mtime: 136, mode: 100, uid: 108 } as const;
