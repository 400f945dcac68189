/** Fault injection: per-route latency, canned statuses (429/5xx…), dropped and hanging connections. */

export type HostKind = 'login' | 'graph' | 'federation';

export interface FaultMatch {
  method?: string;
  /** A string matches when the URL path contains it (e.g. '/sendMail', '/oauth2/v2.0/token'); a RegExp is tested. */
  path: string | RegExp;
  host?: HostKind;
}

export type FaultAction =
  | { type: 'latency'; ms: number }
  | {
      type: 'status';
      status: number;
      /** Object → JSON; string → sent as is. Omitted → Microsoft's shape for that host and status. */
      body?: unknown;
      headers?: Record<string, string>;
      retryAfterSeconds?: number;
    }
  | { type: 'drop' }
  | { type: 'hang' }
  /** A server that takes the request and freezes for `ms` (e.g. a 90-second stall), then drops it unprocessed. */
  | { type: 'stall'; ms: number };

export interface FaultRule {
  match: FaultMatch;
  action: FaultAction;
  /** How many matching requests the rule applies to; omitted = until cleared. */
  times?: number;
}

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export interface FaultDecision {
  latencyMs: number;
  terminal?: Exclude<FaultAction, { type: 'latency' }>;
  /** Labels for the request log. */
  applied: string[];
}

function matches(m: FaultMatch, host: HostKind, method: string, path: string): boolean {
  if (m.host !== undefined && m.host !== host) return false;
  if (m.method !== undefined && m.method.toUpperCase() !== method.toUpperCase()) return false;
  return typeof m.path === 'string' ? path.includes(m.path) : m.path.test(path);
}

export class FaultTable {
  private rules: ActiveRule[] = [];

  add(rule: FaultRule): void {
    this.rules.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  clear(): void {
    this.rules = [];
  }

  /** All matching latency rules add up; the first matching non-latency rule decides the outcome. */
  decide(host: HostKind, method: string, path: string): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, applied: [] };
    for (const active of this.rules) {
      if (active.remaining <= 0 || !matches(active.rule.match, host, method, path)) continue;
      const action = active.rule.action;
      if (action.type === 'latency') {
        decision.latencyMs += action.ms;
      } else if (decision.terminal === undefined) {
        decision.terminal = action;
      } else {
        continue;
      }
      active.remaining -= 1;
      decision.applied.push(action.type === 'status' ? `status:${action.status}` : action.type);
    }
    this.rules = this.rules.filter((r) => r.remaining > 0);
    return decision;
  }
}
