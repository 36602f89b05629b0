/**
 * A plug-in guest is named by the path it was given wherever a run is recorded for replay: fuzz's
 * replay command (text, JSON, Markdown), the ITF `#meta` and the JSON reports (`guestPath`), and
 * the reports; each replays as printed, from the same working directory.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { xenpt } from './run.js';

const plugin = 'test/fixtures/guests/faults/throws-in-hook.ts';
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

test('fuzz prints a replay command with the plug-in path, and it replays as printed', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-replay-'));
  const md = join(dir, 'summary.md');
  const r = xenpt(['fuzz', '--preset', 'small', '--guest', plugin, '--json', '--markdown', md]);
  expect(r.code).toBe(1);
  const json = JSON.parse(r.stdout);
  expect(json.guest).toBe('throws-in-hook');
  expect(json.guestPath).toBe(plugin);
  const command: string = json.replayCommand;
  expect(command).toMatch(new RegExp(`^xenpt fuzz --preset small --guest ${plugin} --replay \\S+$`));
  expect(readFileSync(md, 'utf8')).toContain(command);
  // Run exactly the printed words (none needs shell quoting here).
  const again = xenpt(command.split(' ').slice(1));
  expect(again.code).toBe(1);
  expect(lastLine(again.stdout)).toBe('result: violation XP220');
});

test("check's ITF trace and JSON name the plug-in's path, and replay loads it from there", () => {
  const dir = mkdtempSync(join(tmpdir(), 'xenpt-replay-'));
  const itf = join(dir, 'cx.itf.json');
  const report = join(dir, 'out');
  const r = xenpt(['check', '--preset', 'small', '--guest', plugin, '--itf', itf, '--report', report]);
  expect(r.code).toBe(1);
  const meta = JSON.parse(readFileSync(itf, 'utf8'))['#meta'];
  expect(meta).toMatchObject({ guest: 'throws-in-hook', guestPath: plugin });
  expect(readFileSync(join(report, 'report.md'), 'utf8')).toContain(`throws-in-hook (${plugin})`);

  // No --guest: the file's path is loaded, and the run fails as recorded.
  const replayed = xenpt(['replay', itf]);
  expect(replayed.code).toBe(1);
  expect(lastLine(replayed.stdout)).toBe('result: violation XP220');

  const jsonFile = join(dir, 'check.json');
  writeFileSync(jsonFile, xenpt(['check', '--preset', 'small', '--guest', plugin, '--json']).stdout);
  expect(JSON.parse(readFileSync(jsonFile, 'utf8')).guestPath).toBe(plugin);
  const fromJson = xenpt(['replay', jsonFile, '--json']);
  expect(fromJson.code).toBe(1);
  expect(JSON.parse(fromJson.stdout)).toMatchObject({ guest: 'throws-in-hook' });
});

test('a built-in guest records no path', () => {
  const r = xenpt(['check', '--preset', 'small', '--guest', 'pin-skips-user-pgd', '--json']);
  expect(JSON.parse(r.stdout)).toMatchObject({ guest: 'pin-skips-user-pgd', guestPath: null });
});
