/**
 * Per-worker setup: fast-check takes its seed from XENPT_SEED when set (to reproduce a CI run),
 * else from the clock, and says which seed it used so that any failure can be replayed.
 */
import fc from 'fast-check';

const fromEnv = process.env.XENPT_SEED;
const seed =
  fromEnv !== undefined && /^-?\d+$/.test(fromEnv) ? Number(fromEnv) : Date.now() ^ (Math.random() * 2 ** 31);
fc.configureGlobal({ seed });
if (!(globalThis as { xenptSeedPrinted?: boolean }).xenptSeedPrinted) {
  (globalThis as { xenptSeedPrinted?: boolean }).xenptSeedPrinted = true;
  console.log(`fast-check seed: ${seed} (set XENPT_SEED=${seed} to replay)`);
}
