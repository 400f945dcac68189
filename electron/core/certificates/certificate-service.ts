import type { ProfileDraft, ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type {
  CreateCertificateRequest,
  ExportCertificateRequest,
  ExportedCertificate,
  ImportCertificateRequest,
  SwitchCertificateRequest,
  SwitchCertificateResult,
  TestReport,
  TestRunRequest,
} from '../../../shared/ipc/contract';
import type { Clock } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';
import type { ProfileService } from '../profiles/profile-service';
import { createCertificate, exportCertificate, importCertificate, type CertificateMaterial } from './certificate-material';

export interface CertificateServiceDeps {
  repo: ProfileRepository;
  profiles: ProfileService;
  clock: Clock;
  /** Token clients built from the old key must not answer for the new one. */
  forgetTokens: (profileId: string) => void;
  /** The connection test with the successor certificate's key (the stored credential stays untouched). */
  testNext: (request: TestRunRequest) => Promise<TestReport>;
}

type Slot = 'current' | 'next';

/** The stored profile as a draft at the caller's revision: a new certificate changes nothing else. */
function draftOf(profile: ProfileView, revision: number, accountType = profile.accountType): ProfileDraft {
  return {
    id: profile.id,
    revision,
    name: profile.name,
    accountType,
    cloud: profile.cloud,
    senderAddress: profile.senderAddress,
    mailboxAddress: profile.mailboxAddress,
    clientId: profile.clientId,
    tenant: profile.tenant,
    secretExpiresOn: accountType === 'client-secret' ? (profile.secret.secretExpiresOn ?? '') : '',
    signInMethod: profile.signInMethod,
  };
}

/**
 * A certificate profile's key and certificate: created here (recommended) or imported, checked before
 * anything is written; the key goes to the vault, the public facts onto the profile.
 */
export class CertificateService {
  constructor(private readonly deps: CertificateServiceDeps) {}

  // async: a refusal is a rejected promise for every caller, as the IPC reply is.
  async create(req: CreateCertificateRequest): Promise<ProfileView> {
    const slot = req.slot ?? 'current';
    const profile = this.target(req.profileId, req.revision, slot);
    // Key generation takes a moment: only after every cheap check passed.
    return this.store(profile, req.revision, createCertificate(profile.name, this.deps.clock.now(), req.validityDays), slot);
  }

  async import(req: ImportCertificateRequest): Promise<ProfileView> {
    const slot = req.slot ?? 'current';
    const profile = this.target(req.profileId, req.revision, slot);
    const now = this.deps.clock.now();
    const material =
      req.file.kind === 'pfx'
        ? importCertificate({ kind: 'pfx', pfx: Buffer.from(req.file.pfxBase64, 'base64'), password: req.file.password }, now)
        : importCertificate(
            {
              kind: 'pem',
              certPem: req.file.certPem,
              keyPem: req.file.keyPem,
              ...(req.file.password === undefined ? {} : { password: req.file.password }),
            },
            now,
          );
    return this.store(profile, req.revision, material, slot);
  }

  /** The public certificate for the upload in Entra ("Zertifikat hochladen" takes .cer, .pem, .crt). */
  export(req: ExportCertificateRequest): Promise<ExportedCertificate> {
    const profile = this.deps.repo.get(req.profileId);
    const slot = req.slot ?? 'current';
    const certificate = slot === 'next' ? profile.certificateNext : profile.certificate;
    if (!this.slotAllowed(profile, slot) || certificate === undefined) {
      throw new AppError('invalid-request', { params: { field: 'certificate' } });
    }
    const data = exportCertificate(certificate.certPem, req.format);
    const base = `Absender-${profile.name.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 60)}-${certificate.thumbprintSha1.slice(0, 8)}`;
    return Promise.resolve({
      fileName: `${base}.${req.format === 'der' ? 'cer' : 'pem'}`,
      mimeType: req.format === 'der' ? 'application/pkix-cert' : 'application/x-pem-file',
      dataBase64: data.toString('base64'),
      thumbprintSha256: certificate.thumbprintSha256,
    });
  }

  /** The successor's test: nothing is recorded on the profile, the stored credential stays in use. */
  async testNext(req: { profileId: string }): Promise<TestReport> {
    const profile = this.deps.repo.get(req.profileId);
    if (!this.slotAllowed(profile, 'next') || profile.certificateNext === undefined) {
      throw new AppError('invalid-request', { params: { field: 'certificateNext' } });
    }
    return this.deps.testNext({ profileId: profile.id });
  }

  /**
   * The successor becomes current only after its own test got a token (as a secret renewal): until then
   * the old certificate or the client secret stays in use. IDs and mailbox stay as they are.
   */
  async switchNext(req: SwitchCertificateRequest): Promise<SwitchCertificateResult> {
    const profile = this.target(req.profileId, req.revision, 'next');
    const next = profile.certificateNext;
    if (next === undefined) throw new AppError('invalid-request', { params: { field: 'certificateNext' } });
    const report = await this.deps.testNext({ profileId: profile.id });
    if (report.steps.find((s) => s.id === 'token')?.status !== 'ok') return { outcome: 'rejected', report };
    // The save checks the revision again: a change made elsewhere during the test wins, and nothing is replaced.
    const saved = await this.deps.profiles.promoteNextCertificate(draftOf(profile, req.revision, 'client-certificate'), next);
    this.deps.forgetTokens(saved.id);
    const old = profile.accountType === 'client-certificate' ? profile.certificate : undefined;
    return {
      outcome: 'switched',
      report: { ...report, profile: saved },
      replaced: old ? { thumbprintSha256: old.thumbprintSha256, thumbprintSha1: old.thumbprintSha1 } : null,
      replacedSecretHint: profile.accountType === 'client-secret' ? profile.secret.secretHint : null,
    };
  }

  /** 'current': certificate profiles; 'next': any app-only profile (a secret profile's way to a certificate). */
  private slotAllowed(profile: ProfileView, slot: Slot): boolean {
    return profile.accountType === 'client-certificate' || (slot === 'next' && profile.accountType === 'client-secret');
  }

  /** A profile that takes this slot, at the caller's revision; a stale mask is refused before any work. */
  private target(profileId: string, revision: number, slot: Slot): ProfileView {
    const profile = this.deps.repo.get(profileId);
    if (!this.slotAllowed(profile, slot)) throw new AppError('invalid-request', { params: { field: 'accountType' } });
    if (profile.revision !== revision) throw new AppError('conflict', { params: { name: profile.name } });
    return profile;
  }

  private async store(profile: ProfileView, revision: number, material: CertificateMaterial, slot: Slot): Promise<ProfileView> {
    const saved = await this.deps.profiles.save(draftOf(profile, revision), undefined, material, slot);
    // The current key changed: its tokens go. A successor changes nothing that is in use.
    if (slot === 'current') this.deps.forgetTokens(saved.id);
    return saved;
  }
}
