// Generates docs/troubleshooting.md (English) and docs/troubleshooting.de.md (German) from the diagnostics catalogue
// and the classifier's code tables, so the pages say exactly what the app says. `npx tsx scripts/troubleshooting.ts`
// writes them; `--check` only compares and exits 1 when they are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as prettier from 'prettier';
import {
  CALLER_SET_DIAGNOSTIC_IDS,
  DIAGNOSTIC_IDS,
  diagnosticCatalogue,
  type DiagnosticId,
  type DiagnosticLanguage,
  type DiagnosticText,
} from '../shared/diagnostics/catalogue';
import { HELP_URLS, type HelpTopic } from '../shared/help';
import {
  AADSTS_DIAGNOSES,
  GRAPH_CODE_DIAGNOSES,
  MSAL_CLIENT_DIAGNOSES,
  NET_CODES,
  NET_KIND_DIAGNOSES,
  OAUTH_ERROR_DIAGNOSES,
  SUBERROR_DIAGNOSES,
} from '../electron/core/diagnostics/classify/tables';

export const LANGUAGES: readonly DiagnosticLanguage[] = ['en', 'de'];
export const PAGES: Readonly<Record<DiagnosticLanguage, string>> = {
  en: 'docs/troubleshooting.md',
  de: 'docs/troubleshooting.de.md',
};

export type Family = 'signin' | 'permissions' | 'mailbox' | 'network' | 'other';
const FAMILIES: readonly Family[] = ['signin', 'permissions', 'mailbox', 'network', 'other'];

const FAMILY_TITLES: Readonly<Record<Family, Readonly<Record<DiagnosticLanguage, string>>>> = {
  signin: { en: 'Sign-in service and token (AADSTS…)', de: 'Anmeldedienst und Token (AADSTS…)' },
  permissions: { en: 'Permissions and consent', de: 'Berechtigungen und Zustimmung' },
  mailbox: { en: 'Mailbox and Microsoft Graph', de: 'Postfach und Microsoft Graph' },
  network: { en: 'Network, proxy and TLS', de: 'Netzwerk, Proxy und TLS' },
  other: { en: 'Other', de: 'Sonstiges' },
};

/** A Record, so a new catalogue id fails the typecheck until it has a family. */
export const FAMILY_OF: Readonly<Record<DiagnosticId, Family>> = {
  'aad-secret-invalid': 'signin',
  'aad-secret-id-pasted': 'signin',
  'aad-secret-expired': 'signin',
  'aad-secret-missing': 'signin',
  'aad-certificate-not-registered': 'signin',
  'aad-certificate-expired': 'signin',
  'aad-certificate-signature-invalid': 'signin',
  'aad-certificate-missing': 'signin',
  'aad-assertion-time-range': 'signin',
  'aad-assertion-audience': 'signin',
  'aad-assertion-issuer': 'signin',
  'aad-app-not-found': 'signin',
  'aad-tenant-not-found': 'signin',
  'aad-missing-parameter': 'signin',
  'aad-invalid-scope': 'permissions',
  'aad-scope-not-default': 'permissions',
  'aad-consent-missing': 'permissions',
  'aad-consent-declined': 'permissions',
  'aad-redirect-uri-mismatch': 'signin',
  'aad-public-client-not-allowed': 'signin',
  'aad-public-client-sent-secret': 'signin',
  'aad-wrong-password': 'signin',
  'aad-mfa-required': 'signin',
  'aad-mfa-registration-required': 'signin',
  'aad-conditional-access': 'signin',
  'aad-refresh-token-inactive': 'signin',
  'aad-grant-revoked': 'signin',
  'aad-grant-expired': 'signin',
  'aad-user-not-found': 'signin',
  'aad-user-disabled': 'signin',
  'aad-account-locked': 'signin',
  'aad-password-expired': 'signin',
  'aad-user-foreign-tenant': 'signin',
  'aad-single-tenant-common': 'signin',
  'aad-code-redeemed': 'signin',
  'aad-pkce-mismatch': 'signin',
  'aad-resource-not-found': 'signin',
  'aad-cross-cloud': 'signin',
  'aad-cloud-mismatch': 'signin',
  'oauth-invalid-client': 'signin',
  'oauth-invalid-grant': 'signin',
  'oauth-unauthorized-client': 'signin',
  'oauth-invalid-request': 'signin',
  'oauth-invalid-scope': 'permissions',
  'oauth-invalid-resource': 'signin',
  'oauth-access-denied': 'permissions',
  'oauth-interaction-required': 'signin',
  'oauth-consent-required': 'permissions',
  'oauth-login-required': 'signin',
  'oauth-temporarily-unavailable': 'signin',
  'oauth-server-error': 'signin',
  'graph-access-denied': 'permissions',
  'graph-mailbox-not-allowed': 'permissions',
  'graph-mailbox-read-not-checked': 'permissions',
  'graph-insufficient-privileges': 'permissions',
  'graph-invalid-user': 'mailbox',
  'graph-resource-not-found': 'mailbox',
  'graph-mailbox-not-enabled': 'mailbox',
  'graph-send-as-denied': 'permissions',
  'graph-token-invalid': 'mailbox',
  'graph-bad-message': 'mailbox',
  'graph-submission-blocked': 'mailbox',
  'graph-message-limit': 'mailbox',
  'graph-request-too-large': 'mailbox',
  'graph-quota-exceeded': 'mailbox',
  'graph-throttled': 'mailbox',
  'graph-throttled-unspecified': 'mailbox',
  'graph-unavailable': 'mailbox',
  'graph-send-outcome-unknown': 'mailbox',
  'graph-server-error': 'mailbox',
  'graph-unexpected-response': 'mailbox',
  'graph-request-failed': 'mailbox',
  'probe-restricted': 'permissions',
  'probe-not-restricted': 'permissions',
  'net-dns': 'network',
  'net-refused': 'network',
  'net-reset': 'network',
  'net-unreachable': 'network',
  'net-timeout': 'network',
  'net-timeout-generic': 'network',
  'net-tls-untrusted': 'network',
  'net-tls-expired': 'network',
  'net-tls-hostname': 'network',
  'net-tls-other': 'network',
  'net-proxy': 'network',
  'net-proxy-server': 'network',
  'net-failed': 'network',
  'msal-missing-tenant': 'signin',
  'msal-endpoints-resolution': 'network',
  'msal-throttled': 'signin',
  'msal-invalid-response': 'signin',
  'msal-state-mismatch': 'signin',
  'msal-nonce-mismatch': 'signin',
  'msal-no-account': 'signin',
  'msal-configuration': 'signin',
  'user-cancelled': 'other',
  'auth-wrong-account': 'signin',
  'signin-host-blocked': 'signin',
  unknown: 'other',
};

/** The Microsoft Learn page (shared/help.ts, the app's only help links) that explains an entry's fix. */
export const HELP_TOPICS_OF: Readonly<Partial<Record<DiagnosticId, readonly HelpTopic[]>>> = {
  'aad-secret-invalid': ['client-secret'],
  'aad-secret-id-pasted': ['client-secret'],
  'aad-secret-expired': ['client-secret'],
  'aad-secret-missing': ['client-secret'],
  'oauth-invalid-client': ['client-secret'],
  'aad-consent-missing': ['admin-consent'],
  'aad-consent-declined': ['admin-consent'],
  'oauth-consent-required': ['admin-consent'],
  'oauth-access-denied': ['admin-consent'],
  // RBAC for Applications first: Microsoft calls application access policies legacy.
  'graph-access-denied': ['rbac-applications', 'admin-consent'],
  'graph-mailbox-not-allowed': ['rbac-applications', 'restrict-mailbox'],
  'probe-restricted': ['rbac-applications', 'restrict-mailbox'],
  'probe-not-restricted': ['rbac-applications', 'restrict-mailbox'],
};

const HELP_TITLES: Readonly<Record<HelpTopic, Readonly<Record<DiagnosticLanguage, string>>>> = {
  'restrict-mailbox': {
    en: 'Older setups: application access policies (legacy)',
    de: 'Ältere Umgebungen: Anwendungszugriffsrichtlinien (veraltet)',
  },
  'rbac-applications': {
    en: 'Role Based Access Control for Applications in Exchange Online',
    de: 'Rollenbasierte Zugriffssteuerung (RBAC) für Anwendungen in Exchange Online',
  },
  'client-secret': {
    en: 'Add and manage application credentials (client secret)',
    de: 'Anmeldeinformationen einer Anwendung hinzufügen und verwalten (geheimer Clientschlüssel)',
  },
  'admin-consent': {
    en: 'Grant tenant-wide admin consent to an application',
    de: 'Einer Anwendung mandantenweite Administratorzustimmung erteilen',
  },
};

/**
 * Codes the classifier maps in code rather than in tables.ts (electron/core/diagnostics/classify/graph.ts,
 * msal.ts, network.ts): HTTP statuses, conditions on the operation or the secret's shape, and param fallbacks.
 */
export const CODES_IN_CODE: Readonly<Partial<Record<DiagnosticId, readonly string[]>>> = {
  'aad-secret-id-pasted': ['AADSTS7000215', 'invalid_client'],
  'aad-secret-missing': ['AADSTS90014', 'AADSTS900144'],
  'aad-certificate-not-registered': ['AADSTS700027'],
  'aad-certificate-expired': ['AADSTS700027'],
  'oauth-temporarily-unavailable': ['HTTP 429'],
  'oauth-server-error': ['HTTP 5xx'],
  'msal-throttled': ['throttled'],
  'msal-configuration': ['ClientConfigurationError'],
  'graph-access-denied': ['ExtensionError'],
  'graph-mailbox-not-allowed': ['ErrorAccessDenied'],
  'graph-mailbox-read-not-checked': ['Authorization_RequestDenied'],
  'graph-token-invalid': ['HTTP 401'],
  'graph-throttled': ['HTTP 429'],
  'graph-throttled-unspecified': ['HTTP 429'],
  'graph-unavailable': ['HTTP 503', 'HTTP 504'],
  'graph-send-outcome-unknown': ['HTTP 503', 'HTTP 504', 'ECONNRESET', 'ETIMEDOUT'],
  'graph-server-error': ['HTTP 5xx'],
  'graph-unexpected-response': ['HTTP 4xx'],
  'probe-restricted': ['ErrorAccessDenied', 'ExtensionError'],
  'net-proxy': ['HTTP 407'],
  'net-proxy-server': ['PROXY_REFUSED', 'PROXY_UNREACHABLE'],
  'net-timeout': ['TimeoutError'],
  'net-timeout-generic': ['TimeoutError', 'UND_ERR_CONNECT_TIMEOUT'],
  'net-failed': ['fetch failed'],
  'user-cancelled': ['AbortError'],
};

/** Every raw code (as the app shows it under "code") that leads to this diagnosis. */
export function codesFor(id: DiagnosticId): string[] {
  const from = <K extends string | number>(table: Readonly<Record<K, DiagnosticId>>, show: (key: string) => string) =>
    Object.entries<DiagnosticId>(table)
      .filter(([, v]) => v === id)
      .map(([k]) => show(k));
  const netKinds = new Set(
    Object.entries(NET_KIND_DIAGNOSES)
      .filter(([, v]) => v === id)
      .map(([k]) => k),
  );
  const codes = [
    ...from(AADSTS_DIAGNOSES, (n) => `AADSTS${n}`),
    ...from(OAUTH_ERROR_DIAGNOSES, (c) => c),
    ...from(SUBERROR_DIAGNOSES, (c) => c),
    ...from(MSAL_CLIENT_DIAGNOSES, (c) => c),
    ...from(GRAPH_CODE_DIAGNOSES, (c) => c),
    ...Object.entries(NET_CODES)
      .filter(([, kind]) => netKinds.has(kind))
      .map(([c]) => c),
    ...(CODES_IN_CODE[id] ?? []),
  ];
  return [...new Set(codes)];
}

/** Entries whose title or advice is empty or missing in a language: the page (and the app) would show nothing. */
export function missingTexts(
  catalogue: Readonly<Record<DiagnosticLanguage, Readonly<Partial<Record<DiagnosticId, Partial<DiagnosticText>>>>>>,
): string[] {
  const out: string[] = [];
  for (const lang of LANGUAGES)
    for (const id of DIAGNOSTIC_IDS)
      for (const field of ['title', 'advice'] as const)
        if ((catalogue[lang][id]?.[field] ?? '').trim() === '') out.push(`${lang} ${id} ${field}`);
  return out;
}

const escapeMarkdown = (s: string): string => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);

/** Catalogue text as Markdown: `{{host}}` becomes `<host>` in code style, so a reader sees a placeholder, not braces. */
export function readable(text: string): string {
  return text
    .split(/(\{\{\s*[A-Za-z0-9_]+\s*\}\})/)
    .map((part) => {
      const param = /^\{\{\s*([A-Za-z0-9_]+)\s*\}\}$/.exec(part)?.[1];
      return param !== undefined ? `\`<${param}>\`` : escapeMarkdown(part);
    })
    .join('');
}

const WORDS = {
  en: {
    title: 'Troubleshooting',
    intro: [
      'Every diagnosis the connection test (Verbindung testen) can show, with the raw codes it covers, what it means and',
      'how to fix it. The app shows the same texts; the raw code (AADSTS…, Graph code, HTTP status, network code) stands',
      'under "Code" in its result and in the support block. Search this page for that code.',
    ],
    generated: '_Generated by `npx tsx scripts/troubleshooting.ts` from `shared/diagnostics/catalogue.ts`; do not edit by hand._',
    other: 'Deutsch: [troubleshooting.de.md](troubleshooting.de.md)',
    id: 'Diagnosis',
    codes: 'Codes',
    noCodes: 'set by the app itself, not by an error code',
    anyOther: 'any code not listed elsewhere',
    fix: 'What to do',
    more: 'Learn more',
  },
  de: {
    title: 'Fehlerbehebung',
    intro: [
      'Jede Diagnose, die „Verbindung testen“ anzeigen kann, mit den Rohcodes, die sie abdeckt, ihrer Bedeutung und der',
      'Lösung. Die App zeigt dieselben Texte; der Rohcode (AADSTS…, Graph-Code, HTTP-Status, Netzwerkcode) steht im',
      'Ergebnis unter „Code“ und im Block für den Support. Suchen Sie auf dieser Seite nach diesem Code.',
    ],
    generated:
      '_Erzeugt von `npx tsx scripts/troubleshooting.ts` aus `shared/diagnostics/catalogue.ts`; nicht von Hand bearbeiten._',
    other: 'English: [troubleshooting.md](troubleshooting.md)',
    id: 'Diagnose',
    codes: 'Codes',
    noCodes: 'von der App selbst gesetzt, nicht durch einen Fehlercode',
    anyOther: 'jeder Code, der sonst nicht aufgeführt ist',
    fix: 'Lösung',
    more: 'Weitere Informationen',
  },
} as const satisfies Record<DiagnosticLanguage, unknown>;

/** One language's page, before prettier. */
export function renderPage(lang: DiagnosticLanguage): string {
  const w = WORDS[lang];
  const callerSet = new Set<string>(CALLER_SET_DIAGNOSTIC_IDS);
  const lines: string[] = [`# ${w.title}`, '', ...w.intro, '', w.generated, '', w.other, ''];
  for (const family of FAMILIES) {
    const ids = DIAGNOSTIC_IDS.filter((id) => FAMILY_OF[id] === family);
    if (ids.length === 0) continue;
    lines.push(`## ${FAMILY_TITLES[family][lang]}`, '');
    for (const id of ids) {
      const { title, advice } = diagnosticCatalogue[lang][id];
      const codes = codesFor(id);
      const shown =
        codes.length > 0
          ? codes.map((c) => `\`${c}\``).join(', ')
          : id === 'unknown'
            ? w.anyOther
            : callerSet.has(id)
              ? w.noCodes
              : '–';
      lines.push(`### ${readable(title)}`, '', `- **${w.id}:** \`${id}\``, `- **${w.codes}:** ${shown}`);
      lines.push(`- **${w.fix}:** ${readable(advice)}`);
      for (const topic of HELP_TOPICS_OF[id] ?? []) {
        lines.push(`- **${w.more}:** [${HELP_TITLES[topic][lang]}](${HELP_URLS[topic]})`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

/** Each page as committed and as freshly generated, formatted as prettier would leave it. */
export async function regenerate(root: string): Promise<{ file: string; current: string | undefined; next: string }[]> {
  return Promise.all(
    LANGUAGES.map(async (lang) => {
      const file = PAGES[lang];
      const path = join(root, file);
      let current: string | undefined;
      try {
        current = readFileSync(path, 'utf8');
      } catch {
        current = undefined; // not generated yet
      }
      const options = (await prettier.resolveConfig(path)) ?? {};
      const next = await prettier.format(renderPage(lang), { ...options, filepath: path });
      return { file, current, next };
    }),
  );
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === import.meta.filename) {
  const root = join(import.meta.dirname, '..');
  const missing = missingTexts(diagnosticCatalogue);
  if (missing.length > 0) {
    process.stderr.write(`shared/diagnostics/catalogue.ts: no text for ${missing.join(', ')}\n`);
    process.exitCode = 1;
  }
  for (const { file, current, next } of await regenerate(root)) {
    if (current === next) process.stdout.write(`${file}: up to date\n`);
    else if (process.argv.includes('--check')) {
      process.stderr.write(`${file}: stale; run npx tsx scripts/troubleshooting.ts\n`);
      process.exitCode = 1;
    } else {
      writeFileSync(join(root, file), next);
      process.stdout.write(`${file}: regenerated\n`);
    }
  }
}
