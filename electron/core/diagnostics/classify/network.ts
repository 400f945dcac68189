// Network failures (fetch/undici, and their traces inside MSAL and Graph client errors).

import type { DiagnosticId } from '../../../../shared/diagnostics/catalogue';
import { draft, type ClassifyContext, type Draft } from './finding';
import { NET_CODES, NET_KIND_DIAGNOSES, UNDICI_DEFAULT_TIMEOUT_SECONDS, type NetKind } from './tables';
import { chain, match, str, type Rec } from './error-shape';

interface NetClue {
  kind: NetKind | null;
  code: string;
  host: string | undefined;
  seconds: number | undefined;
  /** host:port of the proxy that failed, when the transport named it. */
  proxy?: string | undefined;
}

const NET_CODE_IN_TEXT = new RegExp(`\\b(${Object.keys(NET_CODES).join('|')})\\b`);

export function findNetClue(e: unknown, ctx: ClassifyContext): NetClue | null {
  for (const link of chain(e)) {
    const code = str(link['code']);
    const kind = code !== undefined ? NET_CODES[code] : undefined;
    if (code !== undefined && kind !== undefined) {
      const proxy = str(link['proxy']);
      return { kind, code, host: netHost(link, ctx), seconds: ctx.timeoutSeconds ?? UNDICI_DEFAULT_TIMEOUT_SECONDS[code], proxy };
    }
  }
  // Libraries that drop `cause` (MSAL's HttpClient, the Graph client) keep at most the message;
  // an adapter that enriches it ("fetch failed: getaddrinfo ENOTFOUND host") is understood too.
  for (const link of chain(e)) {
    const text = `${str(link['message']) ?? ''} ${str(link['errorMessage']) ?? ''}`;
    const code = match(text, NET_CODE_IN_TEXT);
    const kind = code !== undefined ? NET_CODES[code] : undefined;
    if (code !== undefined && kind !== undefined) {
      const host = ctx.host ?? match(text, /(?:ENOTFOUND|EAI_AGAIN|EAI_FAIL|EAI_NONAME)\s+([A-Za-z0-9.-]+)/);
      const proxy = kind === 'proxy' ? match(text, /\bproxy ([\w.:[\]-]+)/) : undefined;
      return { kind, code, host, seconds: ctx.timeoutSeconds ?? UNDICI_DEFAULT_TIMEOUT_SECONDS[code], proxy };
    }
    if (/\bproxy\b/i.test(text) && /tunnel|407|proxy response|proxy authentication/i.test(text)) {
      return { kind: 'proxy', code: 'proxy', host: ctx.host, seconds: undefined };
    }
  }
  return null;
}

function netHost(link: Rec, ctx: ClassifyContext): string | undefined {
  if (ctx.host !== undefined) return ctx.host;
  const hostname = str(link['hostname']) ?? str(link['host']);
  if (hostname !== undefined) return hostname;
  const address = str(link['address']);
  const port = link['port'];
  if (address !== undefined) return typeof port === 'number' ? `${address}:${port}` : address;
  return match(str(link['message']) ?? '', /(?:getaddrinfo|connect)\s+[A-Z_]+\s+(\S+)/);
}

export function isTimeoutName(name: string): boolean {
  return name === 'TimeoutError';
}

// ---------------------------------------------------------------------------------------------
// Draft from a network clue

export function fromNetClue(clue: NetClue, ctx: ClassifyContext, base: Partial<Omit<Draft, 'id' | 'code'>> = {}): Draft {
  const params: Record<string, string> = { ...(base.params ?? {}) };
  if (clue.host !== undefined) params['host'] = clue.host;
  if (clue.seconds !== undefined) params['seconds'] = String(clue.seconds);
  let id: DiagnosticId = clue.kind === null ? 'net-failed' : NET_KIND_DIAGNOSES[clue.kind];
  if (clue.kind === 'proxy' && clue.proxy !== undefined) [id, params['proxy']] = ['net-proxy-server', clue.proxy];
  // After the request may have left (reset, no answer), a sendMail may have been accepted.
  if (
    ctx.operation === 'sendMail' &&
    (clue.kind === 'reset' || (clue.kind === 'timeout' && clue.code !== 'UND_ERR_CONNECT_TIMEOUT'))
  ) {
    id = 'graph-send-outcome-unknown';
  }
  return draft(id, clue.code, { ...base, params });
}

export function timeoutDraft(code: string, ctx: ClassifyContext, base: Partial<Omit<Draft, 'id' | 'code'>> = {}): Draft {
  return fromNetClue({ kind: 'timeout', code, host: ctx.host, seconds: ctx.timeoutSeconds }, ctx, base);
}
