import type { Control } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { type FlagRule, flagControl } from './component-flags.ts';

/** CIS 1.4.x: kube-scheduler flags. */
const rules: ReadonlyArray<readonly [id: string, rule: FlagRule]> = [
  ['scheduler.profiling', { kind: 'equals', flag: 'profiling', value: 'false', absent: 'fail' }],
  // Upstream's default bind address is 0.0.0.0; an absent flag is therefore not loopback.
  ['scheduler.bind-address', { kind: 'loopback', flag: 'bind-address', absent: 'fail' }],
];

export const schedulerControls: readonly Control<NodeAuditInput>[] = rules.map(([id, rule]) => flagControl(id, 'kube-scheduler', rule));
