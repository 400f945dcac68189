import { describe, expect, it } from 'vitest';
import { formatGauges, writeFileAtomic, type AtomicFs } from './prometheus';

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

describe('writeFileAtomic', () => {
  const fakeFs = (failRename: boolean) => {
    const calls: string[] = [];
    const fs: AtomicFs = {
      writeFile: (path) => (calls.push(`write ${path as string}`), Promise.resolve()),
      rename: (from, to) =>
        failRename ? Promise.reject(new Error('EXDEV')) : (calls.push(`rename ${String(from)} ${String(to)}`), Promise.resolve()),
      rm: (path) => (calls.push(`rm ${String(path)}`), Promise.resolve()),
    };
    return { fs, calls };
  };

  it('writes a temp file beside the target (not *.prom) and renames it over', async () => {
    const { fs, calls } = fakeFs(false);
    await writeFileAtomic('/var/lib/textfile/absender.prom', 'x', fs);
    expect(calls).toHaveLength(2);
    const temp = /^write (\/var\/lib\/textfile\/\.absender\.prom\.[0-9a-f]{12}\.tmp)$/.exec(calls[0] ?? '')?.[1];
    expect(temp).toBeDefined();
    expect(calls[1]).toBe(`rename ${temp} /var/lib/textfile/absender.prom`);
  });

  it('removes the temp file when the rename fails, and rejects', async () => {
    const { fs, calls } = fakeFs(true);
    await expect(writeFileAtomic('/t/a.prom', 'x', fs)).rejects.toThrow('EXDEV');
    expect(calls.at(-1)).toMatch(/^rm \/t\/\.a\.prom\..+\.tmp$/);
  });
});
