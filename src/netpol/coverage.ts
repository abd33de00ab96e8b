import type { Evidence } from '../core/finding.ts';
import type { Source } from '../core/source.ts';
import type { ObjectOrigin, SourcedObject } from '../facts/kube-object.ts';
import { type NetpolAnalysis, type NetpolOptions, analyzeObjects } from './analysis.ts';
import { selectsEverything } from './label-selector.ts';
import type { Direction, NetworkPolicyModel } from './policy-model.ts';
import { isPolicySubject, isolatingPolicies } from './semantics.ts';

/**
 * Which namespaces NetworkPolicies cover (CIS 5.3.2 "Ensure that all Namespaces have NetworkPolicies
 * defined"), and how well: per direction, whether every pod is isolated and whether a default deny
 * (a policy selecting every pod) is in place. Pure; the section-5 control and `netpol lint` both use it.
 */
export interface DirectionCoverage {
  /** Policies of the namespace that select every pod (`podSelector: {}`) and isolate this direction. */
  defaultDeny: string[];
  /** Pods and workload templates no policy isolates in this direction. */
  notIsolated: string[];
}

export interface NamespaceCoverage {
  namespace: string;
  /** A Namespace object for it is in the input (otherwise it appears only through other objects). */
  declared: boolean;
  /** `namespace/name` of the valid NetworkPolicies in the namespace. */
  policies: string[];
  /** Policies in the namespace that the API server would reject (not counted in `policies`). */
  invalidPolicies: string[];
  /** Pods and workload templates in the namespace. */
  endpoints: number;
  ingress: DirectionCoverage;
  egress: DirectionCoverage;
  /** At least one valid NetworkPolicy: what CIS 5.3.2 asks. */
  hasPolicies: boolean;
  evidence: Evidence[];
}

function sourceOf(origin: ObjectOrigin | null, detail: string): Source {
  if (origin?.kind === 'file') return { kind: 'api-object', path: origin.path, line: origin.line, detail };
  return { kind: 'api-object', detail };
}

export function namespaceCoverage(objects: readonly SourcedObject[], options: NetpolOptions = {}): NamespaceCoverage[] {
  return coverageOf(analyzeObjects(objects, options));
}

export function coverageOf(analysis: NetpolAnalysis): NamespaceCoverage[] {
  const invalid = new Map<string, string[]>();
  for (const problem of analysis.problems) {
    const match = /^NetworkPolicy ([^/]+)\/(.+)$/.exec(problem.object);
    if (match === null || problem.field === undefined) continue;
    const key = `${match[1]}/${match[2]}`;
    const list = invalid.get(match[1] as string) ?? [];
    if (!list.includes(key)) list.push(key);
    invalid.set(match[1] as string, list);
  }
  const names = [...new Set([...analysis.inventory.namespaces.keys(), ...invalid.keys()])].sort();
  return names.map((namespace): NamespaceCoverage => {
    const info = analysis.inventory.namespaces.get(namespace);
    const policies = [...(analysis.policiesByNamespace.get(namespace) ?? [])];
    const endpoints = (analysis.inventory.byNamespace.get(namespace) ?? []).filter(isPolicySubject);
    const direction = (which: Direction): DirectionCoverage => ({
      defaultDeny: policies.filter((policy: NetworkPolicyModel) => policy.isolates[which] && selectsEverything(policy.podSelector)).map((policy) => policy.key),
      notIsolated: endpoints
        .filter((endpoint) => isolatingPolicies(analysis.policiesByNamespace, endpoint, which).length === 0)
        .map((endpoint) => endpoint.key),
    });
    const evidence: Evidence[] = [
      {
        subject: `Namespace ${namespace} NetworkPolicies`,
        value: policies.length === 0 ? '0' : `${policies.length}: ${policies.map((policy) => policy.name).join(', ')}`,
        source: sourceOf(info?.origin ?? null, `Namespace ${namespace}`),
      },
      ...policies.slice(0, 20).map(
        (policy): Evidence => ({
          subject: `NetworkPolicy ${policy.key}`,
          value: `podSelector ${selectsEverything(policy.podSelector) ? '{} (every pod)' : 'some pods'}, isolates ${[policy.isolates.ingress ? 'Ingress' : '', policy.isolates.egress ? 'Egress' : ''].filter(Boolean).join('+') || 'nothing'}`,
          source: sourceOf(policy.origin, `NetworkPolicy ${policy.key}`),
        }),
      ),
    ];
    return {
      namespace,
      declared: info?.declared ?? false,
      policies: policies.map((policy) => policy.key),
      invalidPolicies: invalid.get(namespace) ?? [],
      endpoints: endpoints.length,
      ingress: direction('ingress'),
      egress: direction('egress'),
      hasPolicies: policies.length > 0,
      evidence,
    };
  });
}
