import type { TestStep, TestStepStatus } from '../../../shared/ipc/contract';
import { findingStepFields, type Finding } from './classify';

/** A step that ended in a finding: the one shape a failed test step and a failed sign-in share. */
export function findingStep(
  id: string,
  finding: Finding,
  durationMs: number | null,
  status: Exclude<TestStepStatus, 'pending' | 'running'> = 'failed',
): TestStep {
  return {
    id,
    status,
    durationMs,
    ...findingStepFields(finding),
    httpStatus: finding.httpStatus,
    requestId: finding.requestId,
    detail: finding.detail,
  };
}
