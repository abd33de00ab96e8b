import { warn } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { stringParam } from './params.ts';

/** Manual controls with nothing on the node to measure: WARN with exactly what to check by hand. */
export const manualReviewControl = defineControl<NodeAuditInput>({
  id: 'manual',
  reads: [],
  check: (_input, benchmark) => warn(`Manual check: ${stringParam(benchmark, 'check')}`),
});
