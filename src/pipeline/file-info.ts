import type { FileKind } from "../detect/classify.js";
import type { LogFormat } from "../parse/types.js";

/** What the bundle held, file by file: feeds node attribution and the Inventory section. */
export interface FileInfo {
  path: string;
  kind: FileKind;
  bytes: number;
  lines: number;
  format?: LogFormat;
  component?: string;
  firstSeen?: string;
  lastSeen?: string;
  /** Host names the file's own lines carry (journald), at most a few. */
  hosts: string[];
}
