import type { AccountType, Cloud, ProfileDraft, ProfileView, SignInMethod } from '../../../shared/domain';
import { isAppOnlyType } from '../../../shared/domain-basics';

export interface FormValues {
  name: string;
  accountType: AccountType;
  senderAddress: string;
  mailboxAddress: string;
  clientId: string;
  tenant: string;
  secretExpiresOn: string;
  signInMethod: SignInMethod;
  cloud: Cloud;
}
export type FormField = keyof FormValues | 'clientSecret';

export const emptyForm = (): FormValues => ({
  name: '',
  accountType: 'client-secret',
  senderAddress: '',
  mailboxAddress: '',
  clientId: '',
  tenant: '',
  secretExpiresOn: '',
  signInMethod: 'popup',
  cloud: 'global',
});

export const fromProfile = (p: ProfileView): FormValues => ({
  name: p.name,
  accountType: p.accountType,
  senderAddress: p.senderAddress,
  mailboxAddress: p.mailboxAddress,
  clientId: p.clientId,
  tenant: p.tenant,
  secretExpiresOn: p.secret.secretExpiresOn ?? '',
  signInMethod: p.signInMethod,
  cloud: p.cloud,
});

/** Pasted values often carry blanks or line breaks; the paste guard says so, the draft drops them. */
export function toDraft(values: FormValues, base: ProfileView | null): ProfileDraft {
  const isSecretType = values.accountType === 'client-secret';
  const appOnly = isAppOnlyType(values.accountType);
  return {
    ...(base ? { id: base.id, revision: base.revision } : {}),
    name: values.name.trim(),
    accountType: values.accountType,
    cloud: values.cloud,
    senderAddress: values.senderAddress.trim(),
    mailboxAddress: appOnly ? values.mailboxAddress.trim() : '',
    clientId: values.clientId.trim(),
    tenant: values.tenant.trim(),
    secretExpiresOn: isSecretType ? values.secretExpiresOn : '',
    signInMethod: appOnly ? 'popup' : values.signInMethod,
  };
}

type DraftSchema = (typeof import('../../../shared/domain'))['ProfileDraft'];
let draftSchema: DraftSchema | undefined;
let loading: Promise<void> | undefined;

/**
 * The schema module (zod and every schema of the profile record) is not part of the first paint: building the
 * schemas cost the start a good 10 ms of main thread (renderer.ready_ratio). It loads once the window is idle
 * (lazy-parts.tsx) and a save awaits it before it validates, so validate() never runs without it.
 */
export function loadValidation(): Promise<void> {
  loading ??= import('../../../shared/domain').then((m) => {
    draftSchema = m.ProfileDraft;
  });
  return loading;
}

/** Field → i18n key of the first error; the same schema the core checks. Only after loadValidation(). */
export function validate(values: FormValues, base: ProfileView | null, secretInput: string): Partial<Record<FormField, string>> {
  if (!draftSchema) throw new Error('validate() before loadValidation()');
  const errors: Partial<Record<FormField, string>> = {};
  const result = draftSchema.safeParse(toDraft(values, base));
  for (const issue of result.error?.issues ?? []) {
    const field = issue.path[0] as FormField | undefined;
    if (field !== undefined && errors[field] === undefined) {
      errors[field] = issue.message.startsWith('validation.') ? issue.message : 'validation.invalid';
    }
  }
  if (isAppOnlyType(values.accountType) && values.mailboxAddress.trim() === '') errors.mailboxAddress ??= 'validation.required';
  if (values.accountType === 'client-secret' && secretInput.trim() === '' && !base?.secret.hasSecret) {
    errors.clientSecret = 'validation.secretRequired';
  }
  return errors;
}

export const sameValues = (a: FormValues, b: FormValues): boolean =>
  (Object.keys(a) as Array<keyof FormValues>).every((k) => a[k] === b[k]);
