/** Lets a loop sleep until something changes (or a timeout passes) without polling. */
export class Wakeup {
  #pending: (() => void)[] = [];

  notify(): void {
    const pending = this.#pending;
    this.#pending = [];
    for (const resolve of pending) resolve();
  }

  /** Resolves on the next notify() or after `ms` (never when ms is Infinity). */
  wait(ms = Infinity): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      this.#pending.push(done);
      if (Number.isFinite(ms)) {
        timer = setTimeout(() => {
          this.#pending = this.#pending.filter((entry) => entry !== done);
          resolve();
        }, ms);
      }
    });
  }
}
