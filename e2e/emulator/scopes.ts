import { GRAPH_APP_ID, GRAPH_RESOURCE } from './tokens';

export const OIDC_SCOPES = new Set(['openid', 'profile', 'email', 'offline_access']);

/** Delegated Graph permissions the emulator knows (anything else is AADSTS70011). */
export const KNOWN_GRAPH_SCOPES = new Set([
  'Mail.Send',
  'Mail.Send.Shared',
  'Mail.Read',
  'Mail.ReadBasic',
  'Mail.ReadWrite',
  'Mail.Read.Shared',
  'Mail.ReadWrite.Shared',
  'User.Read',
  'User.ReadBasic.All',
  'User.Read.All',
  'MailboxSettings.Read',
]);

export interface ParsedScopes {
  raw: string;
  oidc: Set<string>;
  /** Graph permission names (Mail.Send), without the resource prefix. */
  graph: string[];
  /** `{graph}/.default` requested. */
  graphDefault: boolean;
  /** Scopes naming another resource (AADSTS500011 / 70011). */
  foreign: string[];
  /** Graph scope names that do not exist. */
  unknown: string[];
}

/** `resource`: the Graph of the cloud the login host is (https://graph.microsoft.us on US Government's). */
export function parseScopes(raw: string, resource: string = GRAPH_RESOURCE): ParsedScopes {
  const GRAPH_PREFIXES = [`${resource}/`, `${GRAPH_APP_ID}/`];
  const out: ParsedScopes = { raw, oidc: new Set(), graph: [], graphDefault: false, foreign: [], unknown: [] };
  for (const scope of raw.split(/\s+/).filter((s) => s !== '')) {
    if (OIDC_SCOPES.has(scope.toLowerCase())) {
      out.oidc.add(scope.toLowerCase());
      continue;
    }
    const prefix = GRAPH_PREFIXES.find((p) => scope.toLowerCase().startsWith(p.toLowerCase()));
    const isUri = scope.includes('://') || scope.includes('/');
    if (prefix === undefined && isUri) {
      out.foreign.push(scope);
      continue;
    }
    const name = prefix === undefined ? scope : scope.slice(prefix.length);
    if (name === '.default') {
      out.graphDefault = true;
      continue;
    }
    const known = [...KNOWN_GRAPH_SCOPES].find((k) => k.toLowerCase() === name.toLowerCase());
    if (known === undefined) out.unknown.push(scope);
    else if (!out.graph.includes(known)) out.graph.push(known);
  }
  return out;
}

/** The `scope` string of a delegated token response: Graph scopes as URIs plus the OIDC scopes Entra echoes. */
export function responseScope(graphScopes: string[], oidc: Set<string>, resource: string = GRAPH_RESOURCE): string {
  const parts = graphScopes.map((s) => `${resource}/${s}`);
  // Entra echoes "openid profile email" for an OIDC request and never echoes offline_access.
  if (oidc.has('openid')) parts.push('openid', 'profile', 'email');
  else for (const s of ['profile', 'email']) if (oidc.has(s)) parts.push(s);
  return parts.join(' ');
}
