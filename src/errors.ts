/**
 * The one error type that ends a whole run. Per-file problems are not errors: they are
 * warnings carried in the report (see ingest/warnings.ts).
 */
export type ErrorCode =
  | "E_USAGE"
  | "E_INPUT_NOT_FOUND"
  | "E_INPUT_UNREADABLE"
  | "E_NOT_A_BUNDLE"
  | "E_NOTHING_READABLE"
  | "E_PATTERN_INVALID"
  | "E_TIMEOUT"
  | "E_OUTPUT"
  /** A helper thread of ours failed: not the bundle's fault. */
  | "E_INTERNAL";

export class BundleAnalyzeError extends Error {
  readonly code: ErrorCode;

  constructor(message: string, code: ErrorCode, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BundleAnalyzeError";
    this.code = code;
  }
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
