import { notApplicable } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { stringParam } from './params.ts';

/**
 * Controls whose target does not exist in k3s's design (pod manifests of components that run inside the k3s
 * process, a kubelet service file, an etcd user): N/A with the catalog's reason, whatever the node looks like.
 */
export const notApplicableControl = defineControl<NodeAuditInput>({
  id: 'not-applicable',
  reads: [],
  check: (_input, benchmark) => notApplicable(stringParam(benchmark, 'reason'), [{ subject: 'k3s design', value: null, source: { kind: 'kharden', detail: 'k3s runs every component inside one k3s process' } }]),
});
