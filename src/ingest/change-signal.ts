/**
 * "Something changed" between event handlers and the async loops that wait on them. A
 * loop states what it waits for; every handler calls `notify` after changing state. No
 * wake-up can be lost: a waiter checks its condition and, if it does not hold, parks in
 * the same synchronous step, so a change can only come after it is parked.
 */
export class ChangeSignal {
  private waiting: (() => void)[] = [];

  readonly notify = (): void => {
    for (const wake of this.waiting.splice(0)) wake();
  };

  /** Resolves once `ready()` holds, checking it again after each notice. */
  async until(ready: () => boolean): Promise<void> {
    while (!ready()) await new Promise<void>((resolve) => this.waiting.push(resolve));
  }
}
