import type { IngestWarning } from "../ingest/types.js";
import { WarningLog } from "../ingest/warnings.js";

interface Slot {
  apply?: () => void;
}

/**
 * Applies the effects of a bundle's entries (signals, clusters, facts, warnings) in bundle
 * order while some of them are still being computed by workers. An entry whose effects
 * are known runs at once when nothing before it is pending; otherwise it waits its turn.
 * The sets then see the same calls in the same order as in a scan without workers.
 */
export class EffectQueue {
  private readonly slots: Slot[] = [];
  private applying = false;
  private failure: unknown;
  private waiters: (() => void)[] = [];

  /** Runs `apply` after every earlier entry's effects (at once if none is pending). */
  run(apply: () => void): void {
    if (this.applying || this.slots.length === 0) this.call(apply);
    else this.slots.push({ apply });
  }

  /** Reserves the next place in order; `fill` gives it its effects when they are known. */
  reserve(): (apply: () => void) => void {
    const slot: Slot = {};
    this.slots.push(slot);
    return (apply) => {
      slot.apply = apply;
      this.drain();
    };
  }

  /** Resolves when every reserved place was filled and applied; rejects with the first failure. */
  async settled(): Promise<void> {
    if (this.slots.length > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
    if (this.failure !== undefined) throw this.failure;
  }

  private drain(): void {
    while (this.slots.length > 0 && this.slots[0]?.apply) {
      const slot = this.slots.shift() as Slot;
      this.call(slot.apply as () => void);
    }
    if (this.slots.length === 0) {
      const waiters = this.waiters;
      this.waiters = [];
      for (const w of waiters) w();
    }
  }

  private call(apply: () => void): void {
    // Effects applied from inside another entry's turn belong to that turn.
    const nested = this.applying;
    this.applying = true;
    try {
      apply();
    } catch (err) {
      this.failure ??= err;
    } finally {
      this.applying = nested;
    }
  }
}

/** A warning log whose additions wait for the entries before them (the walker's warnings). */
export class OrderedWarningLog extends WarningLog {
  constructor(private readonly queue: EffectQueue) {
    super();
  }

  override add(warning: IngestWarning): void {
    this.queue.run(() => super.add(warning));
  }
}
