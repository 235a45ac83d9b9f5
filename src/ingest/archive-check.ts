import { open } from "node:fs/promises";
import { BundleAnalyzeError } from "../errors.js";
import { hasArchiveName } from "./archive-names.js";
import { sniffBytes, sniffFormat } from "./sniff.js";

/**
 * A file named like an archive whose bytes are no archive at all (an HTML error page saved
 * as .tar.gz, a renamed log) would be analysed as a one-file bundle and reported healthy,
 * hiding a broken download: it is an error with the reason instead. Empty files are left
 * to the analyzer, which says so.
 */
export async function checkArchiveContent(path: string, key: string): Promise<void> {
  if (!hasArchiveName(path)) return;
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(sniffBytes);
    const { bytesRead } = await handle.read(head, 0, sniffBytes, 0);
    if (bytesRead === 0) return;
    if (sniffFormat(head.subarray(0, bytesRead)) === "none") {
      throw new BundleAnalyzeError(`${key} is named like an archive but its content is not one (a broken download or a renamed file?)`, "E_NOT_A_BUNDLE");
    }
  } finally {
    await handle.close();
  }
}
