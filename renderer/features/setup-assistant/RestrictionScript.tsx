import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Button,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Text,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { CheckmarkRegular, ShieldCheckmarkRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Guid, MailAddress, type ProfileView } from '../../../shared/domain';
import type { RestrictionState } from '../../../shared/setup/restriction-recheck';
import { isScriptComplete, legacyCommands, rbacCommands, scriptText } from '../../../shared/setup/restriction-script';
import type { SetupProgress } from '../../../shared/setup/setup-progress';
import { CopyButton } from '../../components/CopyButton';
import { HelpLink } from '../../components/HelpLink';

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', gap: tokens.spacingVerticalS },
  field: { gridTemplateColumns: '230px 1fr' },
  script: { display: 'flex', alignItems: 'flex-start', gap: tokens.spacingHorizontalS },
  pre: {
    flex: 1,
    margin: 0,
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    backgroundColor: tokens.colorNeutralBackground3,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    whiteSpace: 'pre-wrap',
    minWidth: 0,
  },
  // A long command wraps with a hanging indent, so each one still reads as one line of PowerShell.
  command: { display: 'block', paddingLeft: '2em', textIndent: '-2em' },
  notes: { margin: 0, paddingLeft: tokens.spacingHorizontalXL },
  actions: { display: 'flex', gap: tokens.spacingHorizontalS, alignItems: 'center', flexWrap: 'wrap' },
});

/** RBAC for Applications for this profile: the IDs to look up, the copy-ready script, and "restriction pending". */
export function RestrictionScript(props: {
  profile: ProfileView;
  setup: SetupProgress;
  state: RestrictionState;
  time: (iso: string) => string;
  testing: boolean;
  onObjectId: (value: string) => void;
  onControlMailbox: (value: string) => void;
  onDone: () => void;
  onProbe: () => void;
}): React.JSX.Element {
  const styles = useStyles();
  const { t } = useTranslation();
  const { profile, setup, state } = props;
  // Typed values stay local until valid; the core stores only a GUID / an address.
  const [objectId, setObjectId] = useState({ for: profile.id, value: setup.servicePrincipalObjectId });
  const [control, setControl] = useState({ for: profile.id, value: setup.controlMailbox });
  const objectIdValue = objectId.for === profile.id ? objectId.value : setup.servicePrincipalObjectId;
  const controlValue = control.for === profile.id ? control.value : setup.controlMailbox;
  const objectIdBad = objectIdValue.trim() !== '' && !Guid.safeParse(objectIdValue.trim()).success;
  const controlBad = controlValue.trim() !== '' && !MailAddress.safeParse(controlValue.trim()).success;
  const input = { profile, servicePrincipalObjectId: setup.servicePrincipalObjectId, controlMailbox: setup.controlMailbox };
  const commands = rbacCommands(input);
  const legacyList = legacyCommands(input);
  const script = scriptText(commands);
  const legacy = scriptText(legacyList);

  return (
    <div className={styles.root} data-restriction={state.kind}>
      <MessageBar intent="warning" layout="multiline">
        <MessageBarBody>
          <MessageBarTitle>{t('setup.restriction.noticeTitle')}</MessageBarTitle>
          <ul className={styles.notes}>
            <li>{t('setup.restriction.tenantWide')}</li>
            <li>{t('setup.restriction.delay')}</li>
            <li>{t('setup.restriction.rolesClaim')}</li>
          </ul>
        </MessageBarBody>
      </MessageBar>
      <Text>{t('setup.restriction.whereIds')}</Text>
      <Field
        className={styles.field}
        orientation="horizontal"
        label={t('setup.restriction.objectId')}
        hint={t('setup.restriction.objectIdHint')}
        {...(objectIdBad ? { validationState: 'error' as const, validationMessage: t('validation.guid') } : {})}
      >
        <Input
          value={objectIdValue}
          placeholder="00000000-0000-0000-0000-000000000000"
          spellCheck={false}
          autoComplete="off"
          onChange={(_e, d) => setObjectId({ for: profile.id, value: d.value })}
          onBlur={() => props.onObjectId(objectIdValue.trim())}
        />
      </Field>
      <Field
        className={styles.field}
        orientation="horizontal"
        label={t('setup.restriction.controlMailbox')}
        hint={t('setup.restriction.controlMailboxHint')}
        {...(controlBad ? { validationState: 'error' as const, validationMessage: t('validation.email') } : {})}
      >
        <Input
          type="email"
          value={controlValue}
          spellCheck={false}
          autoComplete="off"
          onChange={(_e, d) => setControl({ for: profile.id, value: d.value })}
          onBlur={() => props.onControlMailbox(controlValue.trim())}
        />
      </Field>
      {isScriptComplete(input) ? null : <Text italic>{t('setup.restriction.placeholders')}</Text>}
      <div className={styles.script}>
        <pre className={styles.pre} aria-label={t('setup.restriction.scriptLabel')} data-script="rbac">
          {commands.map((c) => (
            <span key={c.id} className={styles.command}>
              {c.text}
            </span>
          ))}
        </pre>
        <CopyButton value={script} label={t('setup.restriction.scriptLabel')} />
      </div>
      <Text>{t('setup.restriction.expect', { sender: profile.senderAddress })}</Text>
      <span className={styles.actions}>
        <Button icon={<CheckmarkRegular />} onClick={props.onDone}>
          {t('setup.restriction.markDone')}
        </Button>
        <HelpLink topic="rbac-applications" />
      </span>
      {state.kind === 'pending' ? (
        <MessageBar intent="info" layout="multiline" data-restriction-due={state.due ?? 'waiting'}>
          <MessageBarBody>
            <MessageBarTitle>{t('setup.restriction.pendingTitle', { time: props.time(state.since) })}</MessageBarTitle>
            {state.due === null
              ? t('setup.restriction.waiting', { time: props.time(state.nextAt ?? state.since) })
              : state.due === '30m'
                ? t('setup.restriction.due30', { time: props.time(state.nextAt ?? state.since) })
                : t('setup.restriction.due2h')}
          </MessageBarBody>
          {state.due !== null ? (
            <Button
              icon={<ShieldCheckmarkRegular />}
              disabled={props.testing || setup.controlMailbox === ''}
              onClick={props.onProbe}
            >
              {t('setup.restriction.probe')}
            </Button>
          ) : null}
        </MessageBar>
      ) : null}
      {state.kind === 'verified' ? (
        <MessageBar intent="success">
          <MessageBarBody>{t('setup.restriction.verified', { time: props.time(state.at) })}</MessageBarBody>
        </MessageBar>
      ) : null}
      <Accordion collapsible>
        <AccordionItem value="legacy">
          <AccordionHeader>{t('setup.legacy.title')}</AccordionHeader>
          <AccordionPanel>
            <div className={styles.root}>
              <Text>{t('setup.legacy.note')}</Text>
              <div className={styles.script}>
                <pre className={styles.pre} aria-label={t('setup.legacy.scriptLabel')} data-script="legacy">
                  {legacyList.map((c) => (
                    <span key={c.id} className={styles.command}>
                      {c.text}
                    </span>
                  ))}
                </pre>
                <CopyButton value={legacy} label={t('setup.legacy.scriptLabel')} />
              </div>
              <HelpLink topic="restrict-mailbox" />
            </div>
          </AccordionPanel>
        </AccordionItem>
      </Accordion>
    </div>
  );
}
