/**
 * The help as users meet it: a bare `xenpt` is a usage error that shows the help on standard
 * error; a mistyped command or option gets the nearest name; every command's --help lists
 * exactly the options docs/cli.md lists for it. Each case runs the CLI's entry point in this process
 * (test/cli/inProcess.ts, checked against the spawned CLI by test/cli/inProcess.test.ts): what is
 * asserted is what the command prints and returns, not what the process does.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { xenptInProcess as xenpt } from './inProcess.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const names = ['check', 'fuzz', 'replay', 'minimise', 'mutants', 'schema'];

describe('xenpt with no command, or a mistyped one', () => {
  test('a bare xenpt prints the help on standard error and exits 2', async () => {
    const r = await xenpt([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: xenpt <command> \[options\]\n/);
    expect(r.stderr).toBe((await xenpt(['--help'])).stdout);
  });

  test.each<[string[], string]>([
    [
      ['chek'],
      "xenpt: unknown command 'chek' (commands: check, fuzz, replay, minimise, mutants, schema, worker; see xenpt --help); did you mean 'check'?",
    ],
    [['minimize', 'x.json'], "did you mean 'minimise'?"],
    [['check', '--dept', '3'], "xenpt: Unknown option '--dept'; did you mean '--depth'?"],
    [['check', '--max-state', '9'], "did you mean '--max-states'?"],
    [['fuzz', '--sede', '1'], "did you mean '--seed'?"],
    [['replay', 'x.json', '--jsno'], "did you mean '--json'?"],
    [['help', 'chek'], "did you mean 'check'?"],
  ])('%j: one line with the nearest name, exit 2', async (args, message) => {
    const r = await xenpt(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  test('an option given twice is refused on every command, replay and minimise included', async () => {
    for (const args of [
      ['replay', 'x.json', '--json', '--json'],
      ['minimise', 'x.json', '--guest', 'optimised', '--guest=reference'],
      ['mutants', '--runs', '1', '--runs', '2'],
    ]) {
      const r = await xenpt(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^xenpt: --(json|guest|runs) is given twice\n$/);
    }
  });

  test('xenpt help COMMAND prints what xenpt COMMAND --help prints', async () => {
    for (const name of names) {
      const r = await xenpt(['help', name]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe((await xenpt([name, '--help'])).stdout);
    }
  });
});

describe('--help and docs/cli.md list the same options', () => {
  const page = readFileSync(`${root}docs/cli.md`, 'utf8');
  test.each(names)('xenpt %s', async (name) => {
    const help = await xenpt([name, '--help']);
    expect(help.code).toBe(0);
    const inHelp = [...help.stdout.matchAll(/^ {2}(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    const section = page.split(`\n## xenpt ${name}\n`)[1]?.split('\n## ')[0] ?? '';
    const inDocs = [...section.matchAll(/^\| `(?:-\w, )?(--[a-z-]+)/gm)].map((m) => m[1]);
    expect(inHelp.length).toBeGreaterThan(0);
    expect(inDocs).toEqual(inHelp);
  });

  test('the drift the help had is gone: replay takes any guest, check lists every config field', async () => {
    const words = async (args: string[]) => (await xenpt(args)).stdout.replace(/\s+/g, ' ');
    expect(await words(['replay', '--help'])).toContain('a mutant of the corpus (xenpt mutants --help), or a module');
    const check = await words(['check', '--help']);
    expect(check).toContain('interleave');
    expect(check).not.toContain('under a minute');
  });
});
