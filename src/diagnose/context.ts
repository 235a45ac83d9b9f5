import type { Pattern, Severity } from "../match/pattern.js";
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
 * A diagnosis that joins line evidence with facts across files. The pattern ids a finding
 * lists in `patterns` are explained by it. `consequences` are downstream symptoms (pods that
 * cannot start because the API is unreachable...): when the diagnosis fires they are folded
 * into it as related evidence instead of being reported as separate causes.
 */
export interface Diagnoser {
  id: string;
  /** Static description, the same whenever it fires: the catalogue and `patterns list` show it. */
  title: string;
  area: string;
  severity: Severity;
  consequences: readonly string[];
  diagnose(ctx: DiagnoseContext): Finding | undefined;
}
