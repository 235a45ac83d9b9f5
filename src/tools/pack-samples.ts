import { createWriteStream } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import * as tar from "tar-stream";

/**
 * Packs every sample folder samples/<name>/ into samples/<name>.tar.gz, byte-for-byte
 * reproducible: sorted entries, fixed mtime/owner/mode, no gzip timestamp. The folders are
 * the reviewable source; the archives are what users and tests run the tool on.
 */
const fixedMtime = new Date("2025-06-12T00:00:00Z");

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const full = join(dir, name);
      const info = await stat(full);
      if (info.isDirectory()) await walk(full);
      else if (info.isFile()) out.push(full);
    }
  };
  await walk(root);
  return out;
}

export async function packSample(sampleDir: string, name: string, target: string): Promise<void> {
  const pack = tar.pack();
  const gzip = createGzip({ level: 9 });
  const done = pipeline(pack as unknown as NodeJS.ReadableStream, gzip, createWriteStream(target));
  const header = { mtime: fixedMtime, uid: 0, gid: 0, uname: "root", gname: "root" };
  const dirs = new Set<string>();
  for (const file of await listFiles(sampleDir)) {
    const rel = relative(sampleDir, file).split(sep);
    for (let i = 1; i < rel.length; i++) {
      const dir = [name, ...rel.slice(0, i)].join("/");
      if (!dirs.has(dir)) {
        dirs.add(dir);
        pack.entry({ ...header, name: `${dir}/`, type: "directory", mode: 0o755 });
      }
    }
    pack.entry({ ...header, name: [name, ...rel].join("/"), mode: 0o644 }, await readFile(file));
  }
  pack.finalize();
  await done;
}

async function main(): Promise<void> {
  const samplesDir = join(process.cwd(), "samples");
  const names = (await readdir(samplesDir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  for (const name of names) {
    const target = join(samplesDir, `${name}.tar.gz`);
    await packSample(join(samplesDir, name), name, target);
    process.stdout.write(`packed samples/${name}.tar.gz\n`);
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split(sep).pop() ?? "\u0000")) {
  main().catch((err: unknown) => {
    process.stderr.write(`pack-samples: ${String(err)}\n`);
    process.exitCode = 2;
  });
}
