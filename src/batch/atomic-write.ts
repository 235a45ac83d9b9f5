import { readdir, rename, unlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { threadId } from "node:worker_threads";

const tempMarker = /\.tmp-\d+-\d+$/;

/**
 * Whole file or nothing: written beside the target under a temp name, then renamed. A
 * batch killed mid-write leaves at most a temp file, which the next run sweeps away.
 */
export async function writeFileAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}-${threadId}`;
  try {
    await writeFile(temp, content, "utf8");
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** Removes temp files an interrupted run left in the output folder and its bundle folders. */
export async function sweepTempFiles(outDir: string): Promise<void> {
  const top = await readdir(outDir, { withFileTypes: true }).catch(() => []);
  for (const e of top) {
    const full = join(outDir, e.name);
    if (e.isFile() && tempMarker.test(e.name)) await unlink(full).catch(() => undefined);
    if (!e.isDirectory()) continue;
    for (const name of await readdir(full).catch(() => [] as string[])) {
      if (tempMarker.test(name)) await unlink(join(full, name)).catch(() => undefined);
    }
  }
}
