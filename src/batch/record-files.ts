import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BundleRecord } from "./types.js";

/** Where a bundle's files live inside the output folder. */
export function recordPaths(slug: string): { markdown: string; json: string; record: string } {
  return { markdown: `${slug}/report.md`, json: `${slug}/report.json`, record: `${slug}/batch.json` };
}

/** The stored record of an earlier run, or undefined when there is none or it is unreadable. */
export async function readRecord(outDir: string, slug: string): Promise<BundleRecord | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(outDir, recordPaths(slug).record), "utf8")) as BundleRecord;
    return typeof parsed === "object" && parsed !== null && typeof parsed.path === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function recordJson(record: BundleRecord): string {
  return `${JSON.stringify(record, null, 2)}\n`;
}
