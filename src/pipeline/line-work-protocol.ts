import type { IngestWarning } from "../ingest/types.js";
import type { Evidence } from "../match/evidence.js";
import type { Pattern } from "../match/pattern.js";
import type { Facts } from "../parse/facts/types.js";
import type { Report } from "../report/model.js";
import type { LogFileContext } from "./collect-log.js";
import type { FileInfo } from "./file-info.js";

/** Messages between the main thread and the line-work worker (line-work.ts); all plain data. */
export interface LineWorkSetup {
  patterns: Pattern[];
}

/** What only the main thread knows when the pass is over: the worker builds the report from it and its own state. */
export interface LineWorkFinish {
  name: string;
  container: string;
  facts: Facts;
  files: FileInfo[];
  totalLines: number;
  totalBytes: number;
  warnings: IngestWarning[];
  unclassifiedTop?: number;
}

export type ToLineWork =
  | { t: "lines"; ctx: LogFileContext; numbers: number[]; texts: string[] }
  | { t: "event"; text: string; evidence: Evidence }
  | { t: "file-done"; file: number; lastHost?: string }
  | { t: "finish"; input: LineWorkFinish };

export type FromLineWork = { t: "ack" } | { t: "report"; report: Report } | { t: "failed"; message: string };
