import { describe, expect, it } from 'vitest';
import { FaultTable } from './faults';

describe('fault table', () => {
  it('applies one-shot rules once and sums latencies', () => {
    const f = new FaultTable();
    f.add({ match: { path: '/sendMail', host: 'graph' }, action: { type: 'status', status: 429 }, times: 1 });
    f.add({ match: { path: /token$/ }, action: { type: 'latency', ms: 50 } });
    f.add({ match: { path: /token$/, method: 'POST' }, action: { type: 'latency', ms: 25 } });
    expect(f.decide('login', 'POST', '/t/oauth2/v2.0/sendMail').terminal).toBeUndefined();
    expect(f.decide('graph', 'POST', '/v1.0/users/x/sendMail').terminal).toEqual({ type: 'status', status: 429 });
    expect(f.decide('graph', 'POST', '/v1.0/users/x/sendMail').terminal).toBeUndefined();
    expect(f.decide('login', 'POST', '/t/oauth2/v2.0/token').latencyMs).toBe(75);
    expect(f.decide('login', 'GET', '/t/oauth2/v2.0/token').latencyMs).toBe(50);
    f.clear();
    expect(f.decide('login', 'POST', '/t/oauth2/v2.0/token')).toEqual({ latencyMs: 0, applied: [] });
  });

  it('a stall is a terminal rule with its length, labelled in the request log', () => {
    const f = new FaultTable();
    f.add({ match: { path: '/sendMail' }, action: { type: 'stall', ms: 90_000 }, times: 1 });
    expect(f.decide('graph', 'POST', '/v1.0/users/x/sendMail')).toEqual({
      latencyMs: 0,
      terminal: { type: 'stall', ms: 90_000 },
      applied: ['stall'],
    });
    expect(f.decide('graph', 'POST', '/v1.0/users/x/sendMail').terminal).toBeUndefined();
  });
});
