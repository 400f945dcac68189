import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppErrorDto } from '../../../shared/errors';
import type { ProfileView } from '../../../shared/domain';
import { api, ApiError } from '../../api';
import { initialProfiles, takeStartProfiles } from './initial-profiles';
import {
  emptyForm,
  fromProfile,
  loadValidation,
  sameValues,
  toDraft,
  validate,
  type FormField,
  type FormValues,
} from './form-model';

export type Selection = { kind: 'none' } | { kind: 'new' } | { kind: 'existing'; id: string };
export type Status =
  { kind: 'idle' } | { kind: 'busy' } | { kind: 'saved'; name: string } | { kind: 'error'; error: AppErrorDto };

const toDto = (e: unknown): AppErrorDto =>
  e instanceof ApiError ? e.dto : { code: 'internal', params: {}, detail: e instanceof Error ? e.message : String(e) };

/** All state of the mask: which profile is open, its edits, and the dialogs that guard them. */
export function useProfileEditor() {
  // The list boot() already has: the first render shows it and the first profile's mask (one render, not two).
  const [start] = useState(takeStartProfiles);
  const opened = start?.[0];
  const [profiles, setProfiles] = useState<ProfileView[]>(start ?? []);
  const [loaded, setLoaded] = useState(start !== undefined);
  const [selection, setSelection] = useState<Selection>(opened ? { kind: 'existing', id: opened.id } : { kind: 'none' });
  const [values, setValues] = useState<FormValues>(() => (opened ? fromProfile(opened) : emptyForm()));
  const [baseline, setBaseline] = useState<FormValues>(() => (opened ? fromProfile(opened) : emptyForm()));
  /** The revision the open edit started from: a save carries it, so a newer one elsewhere is a conflict (DS-8). */
  const [baseRevision, setBaseRevision] = useState<number | null>(opened?.revision ?? null);
  const saving = useRef(false);
  const [secretInput, setSecretInput] = useState('');
  const [showErrors, setShowErrors] = useState(false);
  const [serverErrors, setServerErrors] = useState<Partial<Record<FormField, string>>>({});
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const [pendingLeave, setPendingLeave] = useState<(() => void) | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [confirmCloudChange, setConfirmCloudChange] = useState(false);
  const [weakEncryptionPrompt, setWeakEncryptionPrompt] = useState<string | null>(null);

  const current = selection.kind === 'existing' ? (profiles.find((p) => p.id === selection.id) ?? null) : null;
  const dirty = selection.kind !== 'none' && (!sameValues(values, baseline) || secretInput !== '');
  // Only once a save has asked for them: the first paint and typing in a fresh form skip the schema (renderer.ready_ratio).
  const clientErrors = useMemo(
    () => (showErrors ? validate(values, current, secretInput) : {}),
    [showErrors, values, current, secretInput],
  );
  const errors = showErrors ? { ...clientErrors, ...serverErrors } : serverErrors;

  useEffect(() => {
    if (start !== undefined) return;
    let live = true;
    void initialProfiles().then((list) => {
      if (!live) return;
      setProfiles(list);
      setLoaded(true);
      const first = list[0];
      if (first) {
        setSelection({ kind: 'existing', id: first.id });
        setValues(fromProfile(first));
        setBaseline(fromProfile(first));
        setBaseRevision(first.revision);
      }
    });
    return () => {
      live = false;
    };
  }, [start]);

  const open = useCallback((next: Selection, form: FormValues, revision: number | null = null) => {
    setSelection(next);
    setBaseRevision(revision);
    setValues(form);
    setBaseline(form);
    setSecretInput('');
    setShowErrors(false);
    setServerErrors({});
    setStatus({ kind: 'idle' });
  }, []);

  /** Leaving a dirty profile asks first (save / discard / cancel). */
  const guard = useCallback((leave: () => void) => (dirty ? setPendingLeave(() => leave) : leave()), [dirty]);

  const newProfile = (): void => guard(() => open({ kind: 'new' }, emptyForm()));
  const selectProfile = (id: string): void => {
    const target = profiles.find((p) => p.id === id);
    if (target && id !== (current?.id ?? null)) guard(() => open({ kind: 'existing', id }, fromProfile(target), target.revision));
  };

  const reloadList = async (): Promise<ProfileView[]> => {
    const list = await api.profiles.list();
    setProfiles(list);
    return list;
  };

  const save = async (options: { cloudChangeConfirmed?: boolean } = {}): Promise<boolean> => {
    // One save at a time (a held Ctrl+S must not create the same new profile twice).
    if (saving.current) return false;
    saving.current = true;
    try {
      // Loaded at idle after the first paint; only a save in the first moments waits for it here.
      await loadValidation();
    } finally {
      saving.current = false;
    }
    setShowErrors(true);
    if (Object.keys(validate(values, current, secretInput)).length > 0) return false;
    // A sign-in belongs to its cloud: switching ends it, so ask first (the secret of a secret profile stays).
    if (
      current?.delegated &&
      values.accountType === 'modern-auth' &&
      values.cloud !== current.cloud &&
      !options.cloudChangeConfirmed
    ) {
      setConfirmCloudChange(true);
      return false;
    }
    saving.current = true;
    setStatus({ kind: 'busy' });
    try {
      const secret = values.accountType === 'client-secret' && secretInput.trim() !== '' ? secretInput : undefined;
      const saved = await api.profiles.save({
        draft: toDraft(values, current && baseRevision !== null ? { ...current, revision: baseRevision } : current),
        ...(secret !== undefined ? { clientSecret: secret } : {}),
      });
      await reloadList();
      open({ kind: 'existing', id: saved.id }, fromProfile(saved), saved.revision);
      setStatus({ kind: 'saved', name: saved.name });
      return true;
    } catch (e) {
      const dto = toDto(e);
      if (dto.code === 'encryption-unavailable') setWeakEncryptionPrompt(dto.params['backend'] ?? 'unknown');
      setServerErrors(dto.fields ?? {});
      setStatus({ kind: 'error', error: dto }); // the edit stays in the mask
      return false;
    } finally {
      saving.current = false;
    }
  };

  const acceptWeakEncryption = async (): Promise<void> => {
    setWeakEncryptionPrompt(null);
    await api.settings.update({ acceptedWeakEncryption: true });
    await save();
  };

  const remove = async (): Promise<void> => {
    setConfirmDelete(false);
    if (!current) return;
    setStatus({ kind: 'busy' });
    try {
      await api.profiles.delete({ id: current.id, revision: current.revision });
      const list = await reloadList();
      const first = list[0];
      if (first) open({ kind: 'existing', id: first.id }, fromProfile(first), first.revision);
      else open({ kind: 'none' }, emptyForm());
    } catch (e) {
      setStatus({ kind: 'error', error: toDto(e) });
    }
  };

  const duplicate = (): void =>
    guard(() => {
      if (!current) return;
      void api.profiles
        .duplicate({ id: current.id })
        .then(async (copy) => {
          await reloadList();
          open({ kind: 'existing', id: copy.id }, fromProfile(copy), copy.revision);
        })
        .catch((e: unknown) => setStatus({ kind: 'error', error: toDto(e) }));
    });

  const resolveLeave = async (choice: 'save' | 'discard' | 'cancel'): Promise<void> => {
    const leave = pendingLeave;
    setPendingLeave(null);
    if (!leave || choice === 'cancel') return;
    if (choice === 'save' && !(await save())) return;
    leave();
  };

  /** Fresh list data (badges) without touching the open edit. */
  const refresh = async (): Promise<void> => {
    await reloadList();
  };

  // The profile open now, for answers that arrive after the admin may have opened another one.
  const openId = useRef<string | null>(null);
  const selectedId = selection.kind === 'existing' ? selection.id : null;
  useEffect(() => {
    openId.current = selectedId;
  }, [selectedId]);

  /** A profile as the core answered it (after a test or renewal): the list shows it, the open edit stays. */
  const adopt = useCallback((profile: ProfileView): void => {
    setProfiles((list) => list.map((p) => (p.id === profile.id ? profile : p)));
  }, []);

  /**
   * A renewal stored a new secret and its expiry: if that profile is still open, its edit now starts
   * from the stored revision; other unsaved edits stay in the mask (a renewal saves nothing else).
   */
  const adoptRenewal = useCallback(
    (profile: ProfileView): void => {
      adopt(profile);
      if (openId.current !== profile.id) return;
      const stored = fromProfile(profile);
      setBaseRevision(profile.revision);
      setBaseline(stored);
      setValues((v) => ({ ...v, secretExpiresOn: stored.secretExpiresOn }));
      setSecretInput('');
      setServerErrors({});
      setStatus({ kind: 'saved', name: profile.name });
    },
    [adopt],
  );

  return {
    loaded,
    refresh,
    adopt,
    adoptRenewal,
    baseRevision,
    profiles,
    selection,
    current,
    values,
    setField: <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
      setValues((v) => ({ ...v, [key]: value }));
      setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => k !== key)));
      setStatus((s) => (s.kind === 'saved' ? { kind: 'idle' } : s));
    },
    secretInput,
    setSecretInput,
    errors,
    dirty,
    status,
    newProfile,
    selectProfile,
    save,
    duplicate,
    confirmCloudChange,
    acceptCloudChange: async (): Promise<void> => {
      setConfirmCloudChange(false);
      await save({ cloudChangeConfirmed: true });
    },
    cancelCloudChange: () => setConfirmCloudChange(false),
    askDelete: () => setConfirmDelete(true),
    confirmDelete,
    cancelDelete: () => setConfirmDelete(false),
    remove,
    pendingLeave: pendingLeave !== null,
    resolveLeave,
    weakEncryptionPrompt,
    acceptWeakEncryption,
    declineWeakEncryption: () => setWeakEncryptionPrompt(null),
  };
}

export type ProfileEditor = ReturnType<typeof useProfileEditor>;
