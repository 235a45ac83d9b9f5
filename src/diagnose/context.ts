import type { Pattern } from "../match/pattern.js";
import type { Signal } from "../match/signals.js";
import type { BundleView } from "./bundle-view.js";
import type { Finding } from "./finding.js";

/** What every diagnoser sees: the collected bundle and the library that scanned it. */
export interface DiagnoseContext {
  view: BundleView;
  signals: ReadonlyMap<string, Signal>;
  patterns: ReadonlyMap<string, Pattern>;
}

/**
 * A diagnosis that joins line evidence with facts across files. `claims` are the pattern
 * ids whose matches it explains: when it fires, those do not also appear on their own.
 */
export interface Diagnoser {
  id: string;
  claims: readonly string[];
  diagnose(ctx: DiagnoseContext): Finding | undefined;
}
