import type { IngestWarning, WarningCode } from "./types.js";

/** Keeps the report readable when a hostile bundle produces a million warnings. */
const maxKeptPerCode = 50;

/** Collects warnings with a bounded memory footprint: the first few of each kind, then counts. */
export class WarningLog {
  private readonly kept: IngestWarning[] = [];
  private readonly countsByCode = new Map<WarningCode, number>();

  add(warning: IngestWarning): void {
    const seen = this.countsByCode.get(warning.code) ?? 0;
    this.countsByCode.set(warning.code, seen + 1);
    if (seen < maxKeptPerCode) this.kept.push(warning);
  }

  /** Warnings in arrival order, plus one summary line per code that overflowed. */
  list(): IngestWarning[] {
    const out = [...this.kept];
    for (const [code, count] of [...this.countsByCode].sort(([a], [b]) => a.localeCompare(b))) {
      if (count > maxKeptPerCode) {
        out.push({ code, message: `${count - maxKeptPerCode} more warnings of this kind were not listed` });
      }
    }
    return out;
  }

  count(code?: WarningCode): number {
    if (code) return this.countsByCode.get(code) ?? 0;
    let total = 0;
    for (const n of this.countsByCode.values()) total += n;
    return total;
  }
}
