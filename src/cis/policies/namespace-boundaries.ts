import type { Evidence } from '../../core/finding.ts';
import { defineControl } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { assessmentOf, gapsFor, judge } from './verdict.ts';

const systemNamespaces = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

/** CIS 5.6.1 (5.7.1 in 1.9) Create administrative boundaries between resources using namespaces. */
export const namespaceBoundaries = defineControl<ClusterAuditInput>({
  id: 'policy.namespace-boundaries',
  reads: ['Namespaces', 'Pods', 'workloads'],
  check: (input, benchmark) => {
    const withWorkloads = new Map<string, number>();
    for (const unit of input.podUnits().units) withWorkloads.set(unit.namespace, (withWorkloads.get(unit.namespace) ?? 0) + 1);
    const own = input.namespaces.filter((name) => !systemNamespaces.has(name));
    const notes: Evidence[] = [
      { subject: 'namespaces besides default, kube-system, kube-public and kube-node-lease', value: String(own.length), source: { kind: 'kharden' } },
      ...[...withWorkloads.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .slice(0, 50)
        .map(([name, count]): Evidence => ({ subject: `namespace ${name} pods and workloads`, value: String(count), source: { kind: 'kharden' } })),
    ];
    return judge(
      { offences: [], gaps: gapsFor(input, ['Namespace']), examined: input.namespaces.length, what: 'namespaces', notes, alwaysApplicable: true },
      assessmentOf(benchmark, 'policy.namespace-boundaries', 'manual'),
      {
        expected: 'resources are separated into namespaces along administrative boundaries',
        found: () => '',
        clean: `${own.length} namespace${own.length === 1 ? '' : 's'} of your own (the notes list where workloads run)`,
        byHand: 'that teams and applications with different owners or trust levels live in different namespaces.',
      },
      input,
    );
  },
});
