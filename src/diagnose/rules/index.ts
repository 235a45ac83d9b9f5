import type { Diagnoser } from "../context.js";

/** The cross-file diagnoses, in the order they run. */
export const fieldDiagnosers: readonly Diagnoser[] = [];
