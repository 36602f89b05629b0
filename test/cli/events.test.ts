/**
 * Events in traces, through the real CLI: every step of a counterexample lists the hypercalls
 * Xen executed, alone or as multicall entries, with their results, named by the Linux function
 * that issued them and the Xen function that ran them — in the text, the JSON, the ITF trace
 * and the reports.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { xenpt } from './run.js';

// pgd_walk ignores USER_LIMIT: exit_mmap's unpin makes level3_ident_pgt writable, which Xen refuses.
const args = ['check', '--preset', 'small', '--guest', 'pgd-walk-ignores-user-limit'];
const rejected =
  'vcpu0 xen_mc_flush → HYPERVISOR_multicall: do_update_va_mapping level3_ident_pgt RW = -22 (writablePagetable)';
const direct = 'vcpu0 HYPERVISOR_mmuext_op: do_mmuext_op(MMUEXT_PIN_L4_TABLE) swapper = 0';

test('the text lists each step’s hypercalls with their results', () => {
  const r = xenpt(args);
  expect(r.code).toBe(1);
  const step1 = r.stdout.slice(r.stdout.indexOf('   1. setupKernelPagetable()'), r.stdout.indexOf('   2. '));
  expect(step1).toContain(`        ${direct}\n`);
  const last = r.stdout.slice(r.stdout.indexOf('   5. exitMmap(mm1)'));
  expect(last).toContain('vcpu0 xen_mc_flush → HYPERVISOR_multicall: do_mmuext_op(MMUEXT_UNPIN_TABLE) mm1.pgd = 0');
  expect(last).toContain(`        ${rejected}\n`);
});

test('the JSON, the ITF trace and the report carry the same lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-events-'));
  const itf = join(dir, 'cx.itf.json');
  const r = xenpt([...args, '--json', '--itf', itf, '--report', join(dir, 'out')]);
  const steps = JSON.parse(r.stdout).violation.trace as { events: string[] }[];
  expect(steps[0]?.events).toContain(direct);
  expect(steps.at(-1)?.events).toContain(rejected);
  const states = JSON.parse(readFileSync(itf, 'utf8')).states as { '#meta': { events?: string[] } }[];
  expect(states[0]?.['#meta'].events).toBeUndefined(); // the boot state: no step led to it
  expect(states[1]?.['#meta'].events).toContain(direct);
  expect(states.at(-1)?.['#meta'].events).toContain(rejected);
  expect(readFileSync(join(dir, 'out', 'report.md'), 'utf8')).toContain(
    'do_update_va_mapping level3_ident_pgt RW = -22',
  );
  // The recorded trace still replays (the events are words for people, not read back).
  expect(xenpt(['replay', itf]).stdout.trimEnd().split('\n').at(-1)).toBe('result: violation XP106');
});
