import { test } from 'vitest';
import {
  allOps,
  type Config,
  defaultConfig,
  enabled,
  formatOp,
  initialState,
  optimisedGuest,
  referenceGuest,
  type State,
  step,
} from '../../model/index.js';
import { checkTransition } from '../../properties/index.js';

test('random walks', () => {
  for (const config of [
    defaultConfig,
    { ...defaultConfig, levels: 4, splitPteLocks: true, vcpus: 2, userSlots: 2 } as Config,
  ]) {
    const ops = allOps(config);
    let seed = 1;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let run = 0; run < 300; run++) {
      let a: State = initialState(config);
      let b: State = a;
      const trace: string[] = [];
      for (let i = 0; i < 40; i++) {
        const en = ops.filter((o) => enabled(config, a, o));
        if (en.length === 0) break;
        const op = en[rnd() % en.length]!;
        trace.push(formatOp(config, op));
        const oa = step(config, optimisedGuest, a, op);
        const ob = step(config, referenceGuest, b, op);
        const v = checkTransition(config, a, op, oa.state, oa.events, ob.state);
        const vr = checkTransition(config, b, op, ob.state, ob.events);
        if (v.length || vr.length) {
          console.log(trace.join('\n'), v, vr);
          throw new Error('violation');
        }
        a = oa.state;
        b = ob.state;
      }
    }
  }
});
