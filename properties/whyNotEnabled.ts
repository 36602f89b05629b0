/**
 * Why an operation of a trace does not happen where it lands, in one line: the facts of the state
 * its arguments name, from which the generic kernel's precondition (`enabled`) and its locks read.
 */
import { type Config, formatOp, type Op, opCpu, type State, slotName } from '../model/index.js';

const mmName = (mm: number) => (mm === 0 ? 'init_mm' : `mm${mm}`);

/**
 * One line on why `op` cannot run in `state`: the facts of the state its arguments name (the
 * phase, the mm's life and lock, the vCPU's mode and multicall, the slot's tables), from which the
 * precondition reads.
 */
export function whyNotEnabled(config: Config, state: State, op: Op): string {
  const facts: string[] = [`phase ${state.phase}`];
  if ('mm' in op) {
    const m = state.mms[op.mm];
    const locked = m !== undefined && m.lock >= 0 ? `, page_table_lock held by vcpu${m.lock}` : '';
    facts.push(m === undefined ? `no ${mmName(op.mm)}` : `${mmName(op.mm)} ${m.life}${locked}`);
  }
  const cpu = opCpu(op);
  if ('cpu' in op) {
    const v = state.vcpus[cpu];
    const busy =
      v === undefined
        ? ''
        : [
            v.lazy !== 'none' ? `, lazy ${v.lazy} mode` : '',
            v.inflight.length > 0 ? `, ${v.inflight.length} hypercalls in flight` : '',
          ].join('');
    facts.push(
      v === undefined
        ? `no vcpu${cpu}`
        : `vcpu${cpu} in ${v.userMode ? 'user' : 'kernel'} mode on ${mmName(v.activeMm)}${busy}`,
    );
  }
  if ('slot' in op && 'mm' in op) {
    const pgd = state.mms[op.mm]?.pgd ?? 0;
    let depth = 0;
    let entry = state.frames[pgd]?.entries[op.slot] ?? 0;
    while (entry > 0 && depth < config.levels - 1) {
      depth++;
      entry = state.frames[entry]?.entries[0] ?? 0;
    }
    facts.push(
      `${slotName(config, op.slot)} has ${depth} of ${config.levels - 1} lower tables${depth === config.levels - 1 ? (entry === 0 ? ', leaf empty' : `, leaf page${-1 - entry}`) : ''}`,
    );
  }
  return `${formatOp(config, op)} is not enabled here (${facts.join('; ')})`;
}
