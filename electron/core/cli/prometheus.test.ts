import { describe, expect, it } from 'vitest';
import { formatGauges } from './prometheus';

describe('formatGauges', () => {
  it('writes HELP and TYPE per family and escapes label values', () => {
    const text = formatGauges([
      { name: 'absender_profile_ok', help: 'a\\b\nc', samples: [{ labels: { profile: 'ERP "alt"\\\n', id: 'x' }, value: 1 }] },
      { name: 'absender_check_exit_code', help: 'code', samples: [{ labels: {}, value: NaN }] },
    ]);
    expect(text).toBe(
      [
        '# HELP absender_profile_ok a\\\\b\\nc',
        '# TYPE absender_profile_ok gauge',
        'absender_profile_ok{profile="ERP \\"alt\\"\\\\\\n",id="x"} 1',
        '# HELP absender_check_exit_code code',
        '# TYPE absender_check_exit_code gauge',
        'absender_check_exit_code NaN',
        '',
      ].join('\n'),
    );
  });
});
