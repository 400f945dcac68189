import type { Page } from '@playwright/test';

/**
 * Hands pages the app opened (sign-in popup, system browser) to the spec that waits for them, in
 * order; a page nobody waits for yet is kept until someone asks.
 */
export class PageHandoff {
  private readonly unclaimed: Page[] = [];
  private readonly waiters: Array<(page: Page) => void> = [];

  constructor(private readonly what: string) {}

  offer(page: Page): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(page);
    else this.unclaimed.push(page);
  }

  /** A page that closed before anyone took it is no longer handed out. */
  withdraw(page: Page): void {
    const i = this.unclaimed.indexOf(page);
    if (i >= 0) this.unclaimed.splice(i, 1);
  }

  next(timeoutMs = 15_000): Promise<Page> {
    const ready = this.unclaimed.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(take);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(new Error(`no ${this.what} page opened within ${timeoutMs} ms`));
      }, timeoutMs);
      const take = (page: Page): void => {
        clearTimeout(timer);
        resolve(page);
      };
      this.waiters.push(take);
    });
  }
}
