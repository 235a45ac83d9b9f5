import { rename, unlink, writeFile } from "node:fs/promises";
import { BundleAnalyzeError, errorMessage } from "../errors.js";

/** Writes the whole report or nothing: a temp file beside the target, then a rename. */
export async function writeAtomically(path: string, content: string): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  try {
    await writeFile(temp, content, { encoding: "utf8", flag: "wx" });
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw new BundleAnalyzeError(`cannot write ${path}: ${errorMessage(err)}`, "E_OUTPUT", { cause: err });
  }
}

/** Writes to stdout; a closed pipe (`| head`) ends the program quietly. */
export function writeStdout(content: string): Promise<void> {
  return new Promise((resolve) => {
    process.stdout.write(content, () => resolve());
  });
}

export function installBrokenPipeHandler(): void {
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
  });
}
