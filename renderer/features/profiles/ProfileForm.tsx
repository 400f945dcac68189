import { Badge, Button, Field, Input, Radio, RadioGroup, Text, makeStyles, tokens } from '@fluentui/react-components';
import { KeyResetRegular } from '@fluentui/react-icons';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isAppOnlyType, toAccountType } from '../../../shared/domain-basics';
import { checkPaste } from '../../../shared/paste-guard';
import { AccountTypeDialog, BelowFold, CertificatePanel, Deferred } from '../../lazy-parts';
import { secretExpiry } from '../../../shared/profile-health';
import { CopyButton } from '../../components/CopyButton';
import { ExpiryDateField } from './ExpiryDateField';
import { ManualHints } from './ManualHints';
import type { ProfileView } from '../../../shared/domain';
import { CloudField } from './CloudField';
import type { FormField } from './form-model';
import type { ProfileEditor } from './useProfileEditor';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalL, maxWidth: '820px' },
  fields: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalM },
  field: { gridTemplateColumns: '230px 1fr' },
  withAction: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center' },
  grow: { flex: 1 },
  typeOption: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalS },
  stored: { display: 'flex', alignItems: 'center', gap: tokens.spacingHorizontalM, minHeight: '32px' },
  note: { color: tokens.colorNeutralForeground3 },
  date: { maxWidth: '220px' },
});

export function ProfileForm({
  editor,
  onRenew,
  renewing,
  hintsCollapsed,
  onHintsCollapsed,
}: {
  editor: ProfileEditor;
  onRenew: () => void;
  renewing: boolean;
  hintsCollapsed: boolean;
  onHintsCollapsed: (collapsed: boolean) => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t, i18n } = useTranslation();
  const { values, current, errors, setField } = editor;
  const [replacing, setReplacing] = useState(false);
  const [askType, setAskType] = useState<ProfileView['accountType'] | null>(null);
  const [dateInvalid, setDateInvalid] = useState(false);
  // Every save or profile switch ends a replacement: the stored secret's hint is shown again.
  const version = `${current?.id ?? ''}:${String(current?.revision ?? 0)}`;
  const [replacingFor, setReplacingFor] = useState(version);
  if (replacingFor !== version) {
    setReplacingFor(version);
    setReplacing(false);
    setDateInvalid(false);
  }
  const isSecretType = values.accountType === 'client-secret';
  const appOnly = isAppOnlyType(values.accountType);
  // The certificate panel's room while it loads: it shows for certificate profiles and stored secret ones.
  const certificateRoom =
    values.accountType === 'client-certificate' || (isSecretType && current?.accountType === 'client-secret') ? 380 : 0;
  const others = useMemo(() => editor.profiles.filter((p) => p.id !== current?.id), [editor.profiles, current]);
  const warnings = useMemo(
    () => checkPaste({ ...values, clientSecret: editor.secretInput }, others),
    [values, editor.secretInput, others],
  );

  // What a test or save learned about the stored secret stays in view until a test gets a token.
  const storedIssue = isSecretType && current?.accountType === 'client-secret' ? current.secret.issue?.kind : undefined;
  const learned: Partial<Record<FormField, string>> = {
    ...(storedIssue === 'secret-id' && editor.secretInput === '' ? { clientSecret: t('hints.storedSecretId') } : {}),
    ...(storedIssue === 'expired' ? { secretExpiresOn: t('hints.storedSecretExpired') } : {}),
  };
  /** Errors win over warnings; both speak the admin's language. */
  const feedback = (field: FormField, hint?: string) => {
    const error = errors[field];
    if (error) return { validationState: 'error' as const, validationMessage: t(error) };
    if (field === 'secretExpiresOn' && dateInvalid)
      return { validationState: 'error' as const, validationMessage: t('date.invalid') };
    const warning = warnings.find((w) => w.field === field);
    if (warning) return { validationState: 'warning' as const, validationMessage: t(warning.key, warning.params ?? {}) };
    const known = learned[field];
    if (known !== undefined) return { validationState: 'warning' as const, validationMessage: known };
    return hint === undefined ? {} : { hint };
  };
  const text = (
    field: Exclude<FormField, 'clientSecret' | 'accountType'>,
    label: string,
    extra: { hint?: string; action?: ReactNode; type?: 'email'; placeholder?: string } = {},
  ) => (
    <Field
      className={styles.field}
      orientation="horizontal"
      label={label}
      required={field !== 'secretExpiresOn'}
      {...feedback(field, extra.hint)}
    >
      <div className={styles.withAction}>
        <Input
          className={styles.grow}
          name={field}
          value={values[field]}
          type={extra.type ?? 'text'}
          placeholder={extra.placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(_e, data) => setField(field, data.value)}
        />
        {extra.action}
      </div>
    </Field>
  );
  const showSecretInput = !current?.secret.hasSecret || replacing;
  const canRenew = replacing && current?.secret.hasSecret === true && editor.secretInput.trim() !== '';
  const expiryHint = (() => {
    const { state, daysLeft } = secretExpiry(values.secretExpiresOn, new Date());
    if (state === 'unknown') return t('hints.secretExpiresOn');
    const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'long', timeZone: 'UTC' }).format(
      new Date(`${values.secretExpiresOn}T00:00:00Z`),
    );
    return state === 'expired' ? t('expiry.hintExpired', { date }) : t('expiry.hint', { date, count: daysLeft ?? 0 });
  })();

  const chooseType = (next: ProfileView['accountType']): void => {
    // Leaving the saved type removes what belongs to it on the next save: ask first.
    if (current && next !== current.accountType && values.accountType === current.accountType) setAskType(next);
    else setField('accountType', next);
  };

  return (
    <form
      className={styles.root}
      aria-labelledby="mask-title"
      onSubmit={(e) => {
        e.preventDefault();
        void editor.save().then((ok) => ok && setReplacing(false));
      }}
    >
      <div className={styles.fields}>
        <Field className={styles.field} orientation="horizontal" label={t('accountType.label')}>
          <RadioGroup value={values.accountType} onChange={(_e, data) => chooseType(toAccountType(data.value))}>
            <Radio
              value="client-secret"
              label={
                <span className={styles.typeOption}>
                  {t('accountType.client-secret')}
                  <Badge appearance="filled" color="success" size="small">
                    {t('accountType.recommended')}
                  </Badge>
                </span>
              }
            />
            <Radio value="client-certificate" label={t('accountType.client-certificate')} />
            <Radio value="modern-auth" label={t('accountType.modern-auth')} />
          </RadioGroup>
        </Field>
        {appOnly ? null : (
          <Field
            className={styles.field}
            orientation="horizontal"
            label={t('fields.signInMethod')}
            hint={t('hints.signInMethod')}
          >
            <RadioGroup
              value={values.signInMethod}
              onChange={(_e, data) => setField('signInMethod', data.value === 'system-browser' ? 'system-browser' : 'popup')}
            >
              <Radio value="popup" label={t('signInMethod.popup')} />
              <Radio value="system-browser" label={t('signInMethod.system-browser')} />
            </RadioGroup>
          </Field>
        )}
        {text('name', t('fields.name'), { placeholder: t('fields.namePlaceholder') })}
        {text('senderAddress', t('fields.senderAddress'), { type: 'email', hint: t('hints.senderAddress') })}
        {appOnly ? text('mailboxAddress', t('fields.mailboxAddress'), { type: 'email', hint: t('hints.mailboxAddress') }) : null}
        {text('clientId', t('fields.clientId'), {
          placeholder: '00000000-0000-0000-0000-000000000000',
          action: <CopyButton value={values.clientId} label={t('fields.clientId')} />,
        })}
        {text('tenant', t('fields.tenant'), {
          placeholder: t('fields.tenantPlaceholder'),
          action: <CopyButton value={values.tenant} label={t('fields.tenant')} />,
        })}
        <CloudField editor={editor} className={styles.field} />
        {isSecretType ? (
          <>
            <Field
              className={styles.field}
              orientation="horizontal"
              label={t('fields.clientSecret')}
              required={!current?.secret.hasSecret}
              {...feedback('clientSecret', t('hints.clientSecret'))}
            >
              {showSecretInput ? (
                <div className={styles.withAction}>
                  <Input
                    className={styles.grow}
                    name="clientSecret"
                    type="password"
                    autoComplete="off"
                    spellCheck={false}
                    value={editor.secretInput}
                    placeholder={current?.secret.hasSecret ? t('fields.secretReplacePlaceholder') : ''}
                    onChange={(_e, data) => editor.setSecretInput(data.value)}
                  />
                  {canRenew ? (
                    <Button appearance="primary" icon={<KeyResetRegular />} disabled={renewing} onClick={onRenew}>
                      {renewing ? t('renew.running') : t('renew.action')}
                    </Button>
                  ) : null}
                </div>
              ) : (
                <div className={styles.stored}>
                  <Text>{t('fields.secretStored', { hint: current.secret.secretHint ?? '' })}</Text>
                  <Button icon={<KeyResetRegular />} onClick={() => setReplacing(true)}>
                    {t('fields.secretReplace')}
                  </Button>
                </div>
              )}
            </Field>
            <Field
              className={styles.field}
              orientation="horizontal"
              label={t('fields.secretExpiresOn')}
              {...feedback('secretExpiresOn', expiryHint)}
            >
              <ExpiryDateField
                className={styles.date}
                value={values.secretExpiresOn}
                onChange={(iso) => setField('secretExpiresOn', iso)}
                onInvalid={setDateInvalid}
              />
            </Field>
          </>
        ) : null}
        {/* Renders itself for certificate profiles, and for stored secret profiles (the switch to a certificate);
            at the fold at 1280×800, so it follows the first paint. */}
        <BelowFold height={certificateRoom}>
          <CertificatePanel editor={editor} />
        </BelowFold>
      </div>
      <ManualHints appOnly={appOnly} isSecretType={isSecretType} collapsed={hintsCollapsed} onCollapsed={onHintsCollapsed} />
      {/* In a chunk of its own, as every dialog: closed, it is no part of the first paint. */}
      <Deferred open={askType !== null}>
        <AccountTypeDialog
          profile={current}
          open={askType !== null}
          onCancel={() => setAskType(null)}
          onConfirm={() => {
            if (askType !== null) setField('accountType', askType);
            setAskType(null);
          }}
        />
      </Deferred>
      {/* Enter in any field saves, as in the manual's mask. */}
      <button type="submit" hidden aria-hidden tabIndex={-1} />
    </form>
  );
}
