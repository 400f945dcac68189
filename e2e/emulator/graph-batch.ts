/** POST /$batch: up to 20 items, dependsOn order, 424 for failed dependencies; each item throttled and faulted on its own. */
import { randomUUID } from 'node:crypto';
import { GRAPH } from './graph-errors';
import type { FaultAction, FaultTable } from './faults';
import type { GraphCall, GraphReplies, GraphResult } from './graph-reply';

export interface BatchDeps {
  replies: GraphReplies;
  faults: FaultTable;
  /** The answer for an injected status fault. */
  faultResult(call: GraphCall, action: Extract<FaultAction, { type: 'status' }>): GraphResult;
  /** Answers one item as if it had come over HTTP. */
  answer(call: GraphCall): Promise<GraphResult>;
}

type Item = { id: string; method: string; url: string; headers: Map<string, string>; body: unknown; dependsOn: string[] };

export function createBatchRoute(deps: BatchDeps) {
  const { fail, ok } = deps.replies;
  return async (call: GraphCall): Promise<GraphResult> => {
    let parsed: unknown;
    try {
      parsed = JSON.parse((call.body ?? Buffer.alloc(0)).toString('utf8'));
    } catch {
      return fail(call, GRAPH.unreadableJson());
    }
    const requests = (parsed as { requests?: unknown } | null)?.requests;
    if (!Array.isArray(requests)) return fail(call, GRAPH.badBatch('Invalid batch payload format.'));
    if (requests.length > 20)
      return fail(call, GRAPH.badBatch('The number of batch requests exceeds the allowed maximum of 20.'));
    const items: Item[] = [];
    for (const r of requests as Record<string, unknown>[]) {
      if (typeof r['id'] !== 'string' || typeof r['method'] !== 'string' || typeof r['url'] !== 'string') {
        return fail(call, GRAPH.badBatch('Invalid batch payload format.'));
      }
      const headers = new Map<string, string>();
      for (const [k, v] of Object.entries((r['headers'] ?? {}) as Record<string, unknown>))
        headers.set(k.toLowerCase(), String(v));
      items.push({
        id: r['id'],
        method: r['method'].toUpperCase(),
        url: r['url'],
        headers,
        body: r['body'],
        dependsOn: Array.isArray(r['dependsOn']) ? (r['dependsOn'] as unknown[]).map(String) : [],
      });
    }
    const ids = new Set(items.map((i) => i.id.toLowerCase()));
    if (ids.size !== items.length) return fail(call, GRAPH.badBatch('Batch request contains duplicate ids.'));

    const statuses = new Map<string, number>();
    const responses: { id: string; status: number; headers: Record<string, string>; body?: unknown }[] = [];
    const pending = [...items];
    while (pending.length > 0) {
      const index = pending.findIndex((i) =>
        i.dependsOn.every((d) => statuses.has(d.toLowerCase()) || !ids.has(d.toLowerCase())),
      );
      const item = pending.splice(index === -1 ? 0 : index, 1)[0] as Item;
      const sub: GraphCall = {
        method: item.method,
        path: '',
        query: new URLSearchParams(),
        headers: new Map([
          ...item.headers,
          ...(call.headers.has('authorization')
            ? [['authorization', call.headers.get('authorization') as string] as [string, string]]
            : []),
        ]),
        body: undefined,
        requestId: randomUUID(),
        clientRequestId: call.clientRequestId,
        viaBatch: true,
        origin: call.origin,
        cleanup: [],
      };
      let result: GraphResult;
      const failedDependency = item.dependsOn.some((d) => (statuses.get(d.toLowerCase()) ?? 424) >= 400);
      if (failedDependency) {
        result = fail(sub, GRAPH.failedDependency());
      } else if (item.body !== undefined && !item.headers.has('content-type')) {
        result = fail(sub, GRAPH.badBatch('Content-Type header is required for a request with a body.'));
      } else {
        // Clients send either "/users/…" or, from absolute URLs, "/v1.0/users/…" (reference §5.4).
        const u = new URL(item.url.replace(/^\/?(v1\.0\/)?/, '/'), 'https://graph.invalid');
        sub.path = u.pathname;
        sub.query = u.searchParams;
        if (item.body !== undefined) {
          sub.body =
            typeof item.body === 'string' && !(item.headers.get('content-type') ?? '').includes('json')
              ? Buffer.from(item.body, 'base64')
              : Buffer.from(JSON.stringify(item.body));
        }
        // Items are throttled individually, so per-route faults apply to them too.
        const decision = deps.faults.decide('graph', item.method, `/v1.0${u.pathname}`);
        if (decision.latencyMs > 0) await new Promise((r) => setTimeout(r, decision.latencyMs));
        const t = decision.terminal;
        result = t?.type === 'status' ? deps.faultResult(sub, t) : await deps.answer(sub);
      }
      statuses.set(item.id.toLowerCase(), result.status);
      responses.push({
        id: item.id,
        status: result.status,
        headers: result.headers,
        ...(result.body === undefined ? {} : { body: result.body }),
      });
    }
    return ok(200, { responses });
  };
}
