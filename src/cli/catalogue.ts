import Fuse from "fuse.js";
import { BundleAnalyzeError } from "../errors.js";
import { loadLibrary, type PatternLibrary } from "../match/load.js";
import type { Pattern } from "../match/pattern.js";
import { fieldDiagnoses, type FieldDiagnosisInfo } from "./field-diagnoses.js";

/** Everything that can become a finding: the pattern library and the field diagnoses. */
export interface Catalogue {
  library: PatternLibrary;
  fields: FieldDiagnosisInfo[];
}

export type CatalogueEntry = { kind: "pattern"; pattern: Pattern } | { kind: "field"; field: FieldDiagnosisInfo };

export async function loadCatalogue(userDirs: string[]): Promise<Catalogue> {
  return { library: await loadLibrary(userDirs), fields: fieldDiagnoses() };
}

export function lookupEntry(catalogue: Catalogue, id: string): CatalogueEntry | undefined {
  const field = catalogue.fields.find((f) => f.id === id);
  if (field) return { kind: "field", field };
  const pattern = catalogue.library.patterns.find((p) => p.id === id);
  return pattern ? { kind: "pattern", pattern } : undefined;
}

/** A usage error for an unknown id, with the closest known ids so a typo is one step away. */
export function unknownIdError(catalogue: Catalogue, id: string): BundleAnalyzeError {
  const ids = [...catalogue.fields.map((f) => f.id), ...catalogue.library.patterns.map((p) => p.id)];
  const fuse = new Fuse(ids, { includeScore: true, threshold: 0.4, ignoreLocation: true });
  // A one- or two-letter query matches half the library: no suggestion is better than noise.
  const close = id.length >= 3 ? fuse.search(id, { limit: 3 }).map((r) => r.item) : [];
  const hint = close.length ? `; did you mean ${close.join(", ")}?` : "";
  return new BundleAnalyzeError(`no pattern or field diagnosis has the id "${id}"${hint} (bundle-analyze patterns list shows them all)`, "E_USAGE");
}
