/**
 * Symmetry that cannot lie, as users meet it: a guest that treats one mm or one frame apart is
 * refused under --symmetry with one line naming the guest, the operation and the two mms or
 * frames, and exit code 2, whatever the check's mode and however many workers; without
 * --symmetry the same guests are checked as usual and their violations found.
 */
import { describe, expect, test } from 'vitest';
import { xenpt } from './run.js';

const fixtures = 'test/fixtures/guests';

/** The two asymmetric plug-ins and what their refusal names. */
const asymmetric = [
  {
    file: `${fixtures}/asymmetric-mm.ts`,
    code: 'XP115',
    refusal:
      /^xenpt: --symmetry is unsound for guest asymmetric-mm, which treats mms 1 and 2 differently: activateMm\(mm\d\) .* activateMm\(mm\d\) on the same state with mms 1 and 2 swapped .*; run without --symmetry\n$/,
  },
  {
    file: `${fixtures}/asymmetric-frame.ts`,
    code: 'XP111',
    refusal:
      /^xenpt: --symmetry is unsound for guest asymmetric-frame, which treats guest frames \d+ and 10 differently: allocTable\(.*\) .* on the same state with guest frames \d+ and 10 swapped .*; run without --symmetry\n$/,
  },
];

describe('--symmetry refuses a guest that does not commute with renaming', () => {
  for (const g of asymmetric) {
    test(`${g.file}: found without --symmetry`, () => {
      const r = xenpt(['check', '--guest', g.file]);
      expect(r.code).toBe(1);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(`result: violation ${g.code}`);
    });

    for (const extra of [[], ['--symmetry-check', 'full'], ['--workers', '2']])
      test(`${g.file}: refused with --symmetry ${extra.join(' ')}`, () => {
        const r = xenpt(['check', '--guest', g.file, '--symmetry', ...extra]);
        expect(r.code).toBe(2);
        expect(r.stderr).toMatch(g.refusal);
        expect(r.stdout).toBe('');
      });
  }

  test('the built-in guest and a plug-in refactor are accepted in full mode', () => {
    for (const guest of ['optimised', `${fixtures}/refactored.ts`]) {
      const r = xenpt(['check', '--preset', 'small', '--guest', guest, '--symmetry', '--symmetry-check', 'full']);
      expect(r.code, guest).toBe(0);
      expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('result: ok');
    }
  });

  test('a bad --symmetry-check, or one without --symmetry, is a one-line usage error', () => {
    const bad = xenpt(['check', '--symmetry', '--symmetry-check', 'some']);
    expect([bad.code, bad.stderr]).toEqual([2, "xenpt: --symmetry-check expects rotation or full, not 'some'\n"]);
    const alone = xenpt(['check', '--symmetry-check', 'full']);
    expect([alone.code, alone.stderr]).toEqual([2, 'xenpt: --symmetry-check needs --symmetry\n']);
  });
});
