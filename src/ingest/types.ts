/** What ingest hands to the next stage: one regular file of the bundle, streamed. */
export interface BundleEntry {
  /** Path inside the bundle, normalised for display ("a/b.log"; nested: "node1.tar.gz/var/log/x"). */
  path: string;
  /** Size as declared by the container, when known (never trusted for allocation). */
  declaredSize: number | undefined;
  /** Modification time from the archive header, used to infer the year of syslog stamps. */
  mtime: Date | undefined;
  /** The decompressed content. Consume it or let the walker drain it. */
  body: AsyncIterable<Buffer>;
}

export type WarningCode =
  | "skipped-link"
  | "skipped-special"
  | "unsafe-path"
  | "truncated-archive"
  | "corrupt-archive"
  | "corrupt-entry"
  | "limit-total-bytes"
  | "limit-entries"
  | "limit-nesting"
  | "limit-line-length"
  | "limit-fact-file"
  | "decompression-bomb"
  | "unreadable-file"
  | "parse-error"
  | "binary-file"
  | "pattern-override"
  | "redaction-off";

/** A problem with part of the bundle: reported, never fatal. */
export interface IngestWarning {
  code: WarningCode;
  path?: string;
  message: string;
}
