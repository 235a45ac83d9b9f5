import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { BundleAnalyzeError, errorMessage } from "../errors.js";
import type { Limits } from "../limits.js";
import type { PatternLibrary } from "../match/load.js";
import { analyzeBundle } from "../pipeline/analyze.js";
import type { Report } from "../report/model.js";
import { renderReport } from "../report/render.js";
import { writeFileAtomically } from "./atomic-write.js";
import { fileExists } from "./file-exists.js";
import { contentHashOf } from "./hash-stamp.js";
import { readRecord, recordJson, recordPaths } from "./record-files.js";
import { summarizeReport } from "./summarize.js";
import { batchSchemaVersion, type BundleRecord } from "./types.js";

/** One bundle to process, as the main thread hands it to a worker. */
export interface BundleTask {
  path: string;
  key: string;
  kind: "file" | "folder";
  slug: string;
}

/** What every task of a batch shares; plain data so it crosses into worker threads. */
export interface BatchJobSettings {
  outDir: string;
  force: boolean;
  redact: boolean;
  obfuscate: boolean;
  limits: Partial<Limits>;
  toolVersion: string;
  libraryVersion: string;
  settings: string;
}

export interface BundleOutcome {
  record: BundleRecord;
  /** True when an earlier report was still valid and nothing was analysed. */
  skipped: boolean;
}

function baseRecord(task: BundleTask, job: BatchJobSettings): Omit<BundleRecord, "status" | "bytes"> {
  return { batchSchemaVersion, path: task.key, slug: task.slug, kind: task.kind, toolVersion: job.toolVersion, libraryVersion: job.libraryVersion, settings: job.settings };
}

/** A failure as the index lists it; the record is written so that `merge` sees it too. */
export async function writeFailure(task: BundleTask, job: BatchJobSettings, err: unknown, content?: { hash: string; bytes: number }): Promise<BundleRecord> {
  const record: BundleRecord = {
    ...baseRecord(task, job),
    ...(content ? { contentHash: content.hash } : {}),
    bytes: content?.bytes ?? 0,
    status: "failed",
    error: { code: err instanceof BundleAnalyzeError ? err.code : "E_UNEXPECTED", message: errorMessage(err) },
  };
  const dir = join(job.outDir, task.slug);
  await mkdir(dir, { recursive: true });
  // Reports of an earlier, readable version of this bundle would now be wrong.
  const paths = recordPaths(task.slug);
  await rm(join(job.outDir, paths.markdown), { force: true });
  await rm(join(job.outDir, paths.json), { force: true });
  await writeFileAtomically(join(job.outDir, paths.record), recordJson(record));
  return record;
}


/** An earlier record is reused only for the same bytes, library, tool and settings, with its reports present. */
async function reusable(existing: BundleRecord | undefined, task: BundleTask, job: BatchJobSettings, contentHash: string): Promise<boolean> {
  if (!existing || existing.status !== "ok" || !existing.reports) return false;
  const same =
    existing.batchSchemaVersion === batchSchemaVersion &&
    existing.path === task.key &&
    existing.contentHash === contentHash &&
    existing.libraryVersion === job.libraryVersion &&
    existing.toolVersion === job.toolVersion &&
    existing.settings === job.settings;
  return same && (await fileExists(join(job.outDir, existing.reports.markdown))) && (await fileExists(join(job.outDir, existing.reports.json)));
}

function render(report: Report, format: "md" | "json", job: BatchJobSettings): string {
  return renderReport(report, format, job.redact, { obfuscate: job.obfuscate });
}

/**
 * Hash (or take the remembered hash of an archive whose size and mtime are unchanged), then either reuse the earlier report or analyse and write report.md, report.json
 * and (last, so its presence means the reports are complete) batch.json. Never throws for
 * a bad bundle: the failure is the outcome.
 */
export async function processBundle(task: BundleTask, job: BatchJobSettings, library: PatternLibrary): Promise<BundleOutcome> {
  let content;
  try {
    content = await contentHashOf(task.path, task.kind, join(job.outDir, task.slug), job.force);
  } catch (err) {
    return { record: await writeFailure(task, job, new BundleAnalyzeError(`cannot read ${task.key}: ${errorMessage(err)}`, "E_INPUT_UNREADABLE"), undefined), skipped: false };
  }
  const existing = await readRecord(job.outDir, task.slug);
  if (!job.force && existing && (await reusable(existing, task, job, content.hash))) return { record: existing, skipped: true };

  let report: Report;
  try {
    // The key, not the absolute path: messages in the index then read the same on every machine.
    report = await analyzeBundle(task.key, { library, limits: job.limits });
  } catch (err) {
    return { record: await writeFailure(task, job, err, content), skipped: false };
  }
  if (!job.redact) report.warnings.push({ code: "redaction-off", message: "redaction was turned off with --no-redact; the report may contain secrets" });
  const markdown = render(report, "md", job);
  const json = render(report, "json", job);
  const paths = recordPaths(task.slug);
  await mkdir(join(job.outDir, task.slug), { recursive: true });
  await writeFileAtomically(join(job.outDir, paths.markdown), markdown);
  await writeFileAtomically(join(job.outDir, paths.json), json);
  const record: BundleRecord = {
    ...baseRecord(task, job),
    contentHash: content.hash,
    bytes: content.bytes,
    status: "ok",
    reports: { markdown: paths.markdown, json: paths.json },
    // From the rendered JSON: what the index shows is redacted exactly like the reports.
    summary: summarizeReport(JSON.parse(json) as Report),
  };
  await writeFileAtomically(join(job.outDir, paths.record), recordJson(record));
  return { record, skipped: false };
}
