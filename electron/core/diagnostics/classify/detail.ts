// Detail line: the redacted one-line description of the error chain for "copy details".

import { redactText } from '../../logging/redact';
import type { ClassifyContext } from './finding';
import { chain, errorMessage, errorName, isRec, oneLine, str } from './error-shape';

const MAX_DETAIL = 2000;

function describe(e: unknown): string {
  const parts: string[] = [];
  const links = chain(e);
  if (links.length === 0) return oneLine(errorMessage(e));
  links.forEach((link, i) => {
    const name = errorName(link);
    const code = str(link['code']) ?? str(link['errorCode']);
    const status =
      typeof link['statusCode'] === 'number'
        ? link['statusCode']
        : typeof link['status'] === 'number'
          ? link['status']
          : undefined;
    let message = str(link['errorMessage']) ?? str(link['message']) ?? '';
    if (message === '' && isRec(link['error'])) message = str(link['error']['message']) ?? '';
    if (message === '' && typeof link['error'] === 'string') message = `${link['error']} ${str(link['error_description']) ?? ''}`;
    const head = [
      name,
      code !== undefined && code !== name ? `[${code}]` : '',
      status !== undefined && status > 0 ? `(HTTP ${status})` : '',
    ]
      .filter((s) => s !== '')
      .join(' ');
    parts.push(`${i === 0 ? '' : 'cause: '}${head}${message !== '' ? `: ${message}` : ''}`);
  });
  return oneLine(parts.join(' ← '));
}

export function buildDetail(e: unknown, ctx: ClassifyContext): string {
  let text = redactText(describe(e), ctx.knownSecrets ?? []);
  if (text.length > MAX_DETAIL) text = `${text.slice(0, MAX_DETAIL - 1)}…`;
  return text;
}
