import type { ProfileDraft, ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type {
  CreateCertificateRequest,
  ExportCertificateRequest,
  ExportedCertificate,
  ImportCertificateRequest,
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
}

/** The stored profile as a draft at the caller's revision: a new certificate changes nothing else. */
function draftOf(profile: ProfileView, revision: number): ProfileDraft {
  return {
    id: profile.id,
    revision,
    name: profile.name,
    accountType: profile.accountType,
    cloud: profile.cloud,
    senderAddress: profile.senderAddress,
    mailboxAddress: profile.mailboxAddress,
    clientId: profile.clientId,
    tenant: profile.tenant,
    secretExpiresOn: '',
    signInMethod: profile.signInMethod,
  };
}

/**
 * A certificate profile's key and certificate: created here (recommended) or imported, checked before
 * anything is written; the key goes to the vault, the public facts onto the profile.
 */
export class CertificateService {
  constructor(private readonly deps: CertificateServiceDeps) {}

  create(req: CreateCertificateRequest): Promise<ProfileView> {
    const profile = this.target(req.profileId, req.revision);
    // Key generation takes a moment: only after every cheap check passed.
    return this.store(profile, req.revision, createCertificate(profile.name, this.deps.clock.now(), req.validityDays));
  }

  import(req: ImportCertificateRequest): Promise<ProfileView> {
    const profile = this.target(req.profileId, req.revision);
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
    return this.store(profile, req.revision, material);
  }

  /** The public certificate for the upload in Entra ("Zertifikat hochladen" takes .cer, .pem, .crt). */
  export(req: ExportCertificateRequest): Promise<ExportedCertificate> {
    const profile = this.deps.repo.get(req.profileId);
    const certificate = profile.certificate;
    if (profile.accountType !== 'client-certificate' || certificate === undefined) {
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

  /** A certificate profile at the caller's revision; a stale mask is refused before any work. */
  private target(profileId: string, revision: number): ProfileView {
    const profile = this.deps.repo.get(profileId);
    if (profile.accountType !== 'client-certificate') throw new AppError('invalid-request', { params: { field: 'accountType' } });
    if (profile.revision !== revision) throw new AppError('conflict', { params: { name: profile.name } });
    return profile;
  }

  private async store(profile: ProfileView, revision: number, material: CertificateMaterial): Promise<ProfileView> {
    const saved = await this.deps.profiles.save(draftOf(profile, revision), undefined, material);
    this.deps.forgetTokens(saved.id);
    return saved;
  }
}
