import type { z } from 'zod';
import { AppError, type AppErrorDto, type Envelope } from '../../../shared/errors';
import { REQUEST_SCHEMAS, type AbsenderApi } from '../../../shared/ipc/contract';
import { API_METHODS, channelOf } from '../../../shared/ipc/manifest';
import { redact, redactText } from '../logging/redact';
import type { Logger } from '../ports';

export type Handler = (arg: unknown) => Promise<Envelope<unknown>>;

/**
 * One handler per manifest entry, keyed by its derived channel. Every argument is parsed with its
 * schema first: nothing unvalidated reaches the core, and no error leaves without redaction.
 */
export function createHandlers(api: AbsenderApi, logger: Logger): Map<string, Handler> {
  const handlers = new Map<string, Handler>();
  for (const [ns, methods] of Object.entries(API_METHODS)) {
    for (const method of methods) {
      const schema = (REQUEST_SCHEMAS as Record<string, Record<string, z.ZodType>>)[ns]?.[method];
      const target = (api as unknown as Record<string, Record<string, ((arg?: unknown) => Promise<unknown>) | undefined>>)[ns]?.[
        method
      ];
      if (!schema || !target) throw new Error(`IPC contract incomplete: ${ns}.${method}`);
      // Nothing throws past this point: hostile input that trips the parser itself still gets an envelope.
      handlers.set(channelOf(ns, method), async (arg) => {
        try {
          const parsed = schema.safeParse(arg);
          if (!parsed.success) return { ok: false, error: validationError(parsed.error) };
          const value = await target(parsed.data);
          return { ok: true, value: value ?? null };
        } catch (error) {
          return { ok: false, error: toErrorDto(error, `${ns}.${method}`, logger) };
        }
      });
    }
  }
  return handlers;
}

function validationError(error: z.ZodError): AppErrorDto {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // Messages from shared/domain are i18n keys; anything else becomes the generic key.
    const key = issue.message.startsWith('validation.') ? issue.message : 'validation.invalid';
    const path = issue.path.filter((p) => p !== 'draft').join('.') || '_';
    fields[path] ??= key;
  }
  return { code: 'invalid-request', params: {}, fields };
}

export function toErrorDto(error: unknown, where: string, logger: Logger): AppErrorDto {
  if (error instanceof AppError) {
    if (error.code === 'internal' || error.cause !== undefined) {
      logger.warn(`${where} failed`, { error: redact(error) });
    }
    return {
      code: error.code,
      params: Object.fromEntries(Object.entries(error.params).map(([k, v]) => [k, redactText(v)])),
      ...(error.fields ? { fields: error.fields } : {}),
    };
  }
  logger.error(`${where} failed unexpectedly`, { error: redact(error) });
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', params: {}, detail: redactText(message).slice(0, 4000) };
}
