#!/usr/bin/env node
/**
 * The xenpt command line: the thin edge that reads files, the clock and the terminal, drives the
 * engines in slices (so progress and Ctrl-C are seen), prints and sets the exit code.
 * Exit codes: 0 no violation, 1 violation, 2 usage or configuration error, 3 incomplete.
 * (`fuzz` runs fast-check synchronously, so Ctrl-C ends it the default way, with no report.)
 */
import { readFileSync } from 'node:fs';
import { type Config, formatConfigError, type Guest, parseConfig } from '../model/index.js';
import { type Args, type CheckArgs, type FuzzArgs, parseCommandLine, UsageError } from './args.js';
import { type ExploreResult, Explorer, resolveExploreOptions, type StopReason } from './explore.js';
import { checkJson, formatCheck } from './format.js';
import { type FuzzSource, formatFuzz, fuzzJson } from './formatFuzz.js';
import { type FuzzProgress, type FuzzResult, fuzz, fuzzDefaults } from './fuzz.js';
import { ReplayError } from './fuzzReplay.js';
import { namedGuests } from './guests.js';
import { usage } from './help.js';
import { findPreset, presets } from './presets.js';

/** Exit codes. */
export const EXIT = { ok: 0, violation: 1, usage: 2, incomplete: 3 } as const;

const version = (): string => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
};

/** Reads the configuration a command names; throws UsageError on any problem. */
function loadConfig(args: { preset: string | undefined; configFile: string | undefined }): {
  config: Config;
  depth: number;
  source: string;
  preset: string | null;
} {
  if (args.configFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(args.configFile, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read --config ${args.configFile}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new UsageError(`--config ${args.configFile} is not JSON: ${(e as Error).message}`);
    }
    const parsed = parseConfig(json);
    if (!parsed.ok) throw new UsageError(`${args.configFile}: ${formatConfigError(parsed.error)}`);
    return { config: parsed.config, depth: 40, source: `config ${args.configFile}`, preset: null };
  }
  const name = args.preset ?? 'default';
  const preset = findPreset(name);
  if (preset === undefined)
    throw new UsageError(`unknown preset '${name}' (presets: ${presets.map((p) => p.name).join(', ')})`);
  return { config: preset.config, depth: preset.depth, source: `preset ${name}`, preset: name };
}

function findGuest(name: string): Guest {
  const guest = namedGuests.get(name);
  if (guest === undefined)
    throw new UsageError(`unknown guest '${name}' (guests: ${[...namedGuests.keys()].join(', ')})`);
  return guest;
}

/** Runs the explorer in slices, with progress on a terminal and Ctrl-C as a clean stop. */
async function drive(explorer: Explorer, progress: ((line: string) => void) | null): Promise<ExploreResult> {
  let lastProgress = performance.now();
  let interrupted = false;
  const onSigint = () => {
    interrupted = true;
  };
  process.on('SIGINT', onSigint);
  try {
    for (;;) {
      if (interrupted) explorer.stop('interrupted');
      if (explorer.run(500)) break;
      const now = performance.now();
      if (progress && now - lastProgress >= 1000) {
        lastProgress = now;
        const s = explorer.stats();
        progress(
          `states ${s.transitions}  distinct ${s.distinctStates}  queue ${s.queued}  depth ${s.depthReached}  ${s.statesPerSecond} states/s`,
        );
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return explorer.result();
}

async function check(args: CheckArgs): Promise<number> {
  const { config, depth, source, preset } = loadConfig(args);
  const guest = findGuest(args.guest);
  const stopReason: { value: StopReason | null } = { value: null };
  const options = resolveExploreOptions({
    depth: args.depth ?? depth,
    maxStates: args.maxStates ?? Number.POSITIVE_INFINITY,
    continueAfterViolation: args.continueAfterViolation,
    now: () => performance.now(),
    memory: () => process.memoryUsage().rss,
    shouldStop: () => stopReason.value,
  });
  const tty = process.stderr.isTTY === true && !args.quiet;
  const progress = tty ? (line: string) => process.stderr.write(`\r\x1b[K${line}`) : null;
  const result = await drive(new Explorer(config, guest, options), progress);
  if (tty) process.stderr.write('\r\x1b[K');
  process.stdout.write(
    args.json
      ? `${JSON.stringify(checkJson(result, guest, preset, version()), null, 2)}\n`
      : `${formatCheck(result, guest, source)}\n`,
  );
  return result.status === 'violation' ? EXIT.violation : result.status === 'incomplete' ? EXIT.incomplete : EXIT.ok;
}

/**
 * A fresh seed when none is given (the edge reads the clock, the engine never does); non-negative,
 * so that the printed `--seed N` or `--replay N:…` never reads as an option.
 */
const freshSeed = (): number => (Date.now() ^ Math.floor(Math.random() * 2 ** 31)) & 0x7fffffff;

function fuzzCommand(args: FuzzArgs): number {
  const { config, preset } = loadConfig(args);
  const source: FuzzSource = preset === null ? { configFile: args.configFile ?? '' } : { preset };
  const guest = findGuest(args.guest);
  const tty = process.stderr.isTTY === true && !args.quiet;
  const started = performance.now();
  let lastProgress = started;
  const onProgress = (p: FuzzProgress) => {
    const now = performance.now();
    if (now - lastProgress < 1000) return;
    lastProgress = now;
    const rate = Math.round((p.commands * 1000) / (now - started));
    process.stderr.write(
      `\r\x1b[K${p.shrinking ? 'shrinking' : 'runs'} ${p.executions}  commands ${p.commands}  ${rate} commands/s`,
    );
  };
  let result: FuzzResult;
  try {
    result = fuzz(config, guest, {
      runs: args.runs ?? fuzzDefaults.runs,
      maxCommands: args.maxCommands ?? fuzzDefaults.maxCommands,
      seed: args.seed ?? freshSeed(),
      replay: args.replay ?? null,
      now: () => performance.now(),
      onProgress: tty ? onProgress : () => {},
    });
  } catch (e) {
    if (e instanceof ReplayError) throw new UsageError(`--replay: ${e.message}`);
    throw e;
  } finally {
    if (tty) process.stderr.write('\r\x1b[K');
  }
  process.stdout.write(
    args.json
      ? `${JSON.stringify(fuzzJson(result, guest, source, version()), null, 2)}\n`
      : `${formatFuzz(result, guest, source)}\n`,
  );
  return result.status === 'violation' ? EXIT.violation : EXIT.ok;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: Args;
  try {
    args = parseCommandLine(argv);
    switch (args.command) {
      case 'help':
        process.stdout.write(usage(args.topic));
        return EXIT.ok;
      case 'version':
        process.stdout.write(`xenpt ${version()}\n`);
        return EXIT.ok;
      case 'check':
        return await check(args);
      case 'fuzz':
        return fuzzCommand(args);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`xenpt: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
