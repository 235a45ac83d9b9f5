export type Level = "fatal" | "error" | "warning" | "info" | "debug";

/** The log line formats recognised; a file is sniffed once, each line parsed with its format. */
export type LogFormat = "journald" | "journald-iso" | "journald-monotonic" | "journald-export" | "cri" | "klog" | "json" | "logfmt" | "iso" | "dmesg" | "plain";

/** One parsed log line: what the matcher and the report need, nothing more. */
export interface LogRecord {
  file: string;
  line: number;
  /** ISO 8601 UTC, when the line carried a usable time stamp. */
  timestamp?: string;
  /** Host name carried by the line itself (journald). */
  host?: string;
  /** Emitting program or container, when the line says. */
  component?: string;
  level?: Level;
  text: string;
}
