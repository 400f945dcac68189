import type { ProfileView } from '../../../shared/domain';
import { AppError } from '../../../shared/errors';
import type { SetupUpdateRequest, TestReport } from '../../../shared/ipc/contract';
import { EMPTY_SETUP, type SetupProgress } from '../../../shared/setup/setup-progress';
import { adminConsentUrl, normaliseTicked } from '../../../shared/setup/setup-steps';
import type { Clock } from '../ports';
import type { ProfileRepository } from '../profiles/profile-repository';

/** The setup assistant's state per profile: ticks, the restriction's "done" time, and what tests proved. */
export class SetupService {
  constructor(
    private readonly repo: ProfileRepository,
    private readonly clock: Clock,
    private readonly open: (url: string) => Promise<void>,
  ) {}

  update(req: SetupUpdateRequest): ProfileView {
    const profile = this.repo.get(req.profileId);
    const setup: SetupProgress = { ...EMPTY_SETUP, ...profile.setup };
    const next: SetupProgress = { ...setup };
    if (req.tick) {
      const others = setup.ticked.filter((id) => id !== req.tick?.step);
      next.ticked = normaliseTicked(req.tick.done ? [...others, req.tick.step] : others);
    }
    if (req.servicePrincipalObjectId !== undefined) next.servicePrincipalObjectId = req.servicePrincipalObjectId;
    if (req.controlMailbox !== undefined) next.controlMailbox = req.controlMailbox;
    if (req.restrictionDone === true) {
      // The clock starts when the admin says the commands ran: Exchange needs 30 minutes to 2 hours.
      next.restrictionDoneAt = this.clock.now().toISOString();
      next.restrictionVerifiedAt = null;
      next.ticked = normaliseTicked([...next.ticked, 'restriction']);
    } else if (req.restrictionDone === false) {
      next.restrictionDoneAt = null;
      next.restrictionVerifiedAt = null;
    }
    return this.repo.recordSetup(profile.id, next);
  }

  /** Built from the stored profile in the core: the renderer never hands over a URL to open. */
  async openAdminConsent(profileId: string): Promise<void> {
    const url = adminConsentUrl(this.repo.get(profileId));
    if (url === null) throw new AppError('invalid-request', { params: {} });
    await this.open(url);
  }

  /**
   * What a finished test teaches the assistant: the first run that did not fail folds it to "done";
   * a passing restriction probe after the admin's "done" ends "restriction pending".
   */
  learnFromTest(report: TestReport): TestReport {
    const profile = this.repo.find(report.profileId);
    if (!profile) return report;
    const setup: SetupProgress = { ...EMPTY_SETUP, ...profile.setup };
    const now = report.finishedAt;
    const next: SetupProgress = { ...setup };
    if (report.outcome !== 'failed' && setup.completedAt === null) next.completedAt = now;
    const probe = report.steps.find((s) => s.id === 'probe');
    if (setup.restrictionDoneAt !== null && probe?.status === 'ok') next.restrictionVerifiedAt = now;
    if (next.completedAt === setup.completedAt && next.restrictionVerifiedAt === setup.restrictionVerifiedAt) return report;
    return { ...report, profile: this.repo.recordSetup(profile.id, next) };
  }
}
