/**
 * The explorer's stored states, read back level by level through its public interface (the
 * encodings the parallel driver hands to workers), decoded and written as canonical JSON.
 */
import { decodeState } from '../../../checker/explore/decode.js';
import { Explorer } from '../../../checker/explore/explore.js';
import { resolveExploreOptions } from '../../../checker/explore/exploreTypes.js';
import { type Config, frameCount, type Guest } from '../../../model/index.js';
import { canonicalJson } from './naive.js';

/** Every pair the explorer stores within `depth` (no symmetry), and its statistics. */
export function explorerStates(config: Config, guest: Guest, depth: number) {
  const e = new Explorer(config, guest, resolveExploreOptions({ depth }));
  const frames = frameCount(config);
  const states = new Set<string>();
  for (;;) {
    const { words, starts } = e.levelChunk(0, e.levelSize);
    for (const start of starts) {
      const g = decodeState(config, frames, words, start);
      const r = decodeState(config, frames, words, g.end);
      states.add(canonicalJson([g.state, r.state]));
    }
    if (e.run(e.levelSize - e.levelCursor) || e.advanceLevel()) break;
  }
  return { states, result: e.result() };
}
