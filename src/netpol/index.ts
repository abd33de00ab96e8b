/**
 * The NetworkPolicy analysis as other parts of kharden use it (docs/netpol.md, "API"). Everything here is
 * pure: Kubernetes objects in, answers out.
 */
import type { SourcedObject } from '../facts/kube-object.ts';
import { type NetpolAnalysis, type NetpolOptions, analyzeObjects } from './analysis.ts';
import { type PortReference, parsePortValue, portOn, resolveEndpoint } from './endpoint-reference.ts';
import { type FlowExplanation, explainFlow } from './flow-evaluation.ts';
import type { Protocol } from './port-set.ts';

export { type NetpolAnalysis, type NetpolOptions, analyzeObjects, k3sDefaultClusterCidr, k3sDefaultServiceCidr } from './analysis.ts';
export { type ClassMatrix, buildClassMatrix, classifyEndpoints } from './class-matrix.ts';
export { type NamespaceCoverage, type DirectionCoverage, coverageOf, namespaceCoverage } from './coverage.ts';
export { type FlowExplanation, type FlowVerdict, evaluateFlow, explainFlow } from './flow-evaluation.ts';
export { type FlowCheck, type FlowSpec, checkFlows } from './flows.ts';
export { type LintFinding, type LintSeverity, lintPolicies } from './lint/index.ts';
export { type MatrixView, type MatrixGrouping, buildMatrixView } from './matrix-view.ts';
export { type PackagedComponents, type SuggestOptions, type SuggestedPolicy, suggestPolicies } from './suggest.ts';
export { type SuggestionCheck, checkSuggestion } from './suggest-check.ts';

export interface EvaluateQuery {
  /** `namespace/pod`, `namespace/kind/name` or an IP address. */
  from: string;
  to: string;
  /** A number, or a port name resolved on the destination. */
  port: number | string;
  protocol?: Protocol;
}

export type EvaluateResult =
  | { ok: true; pairs: Array<{ from: string; to: string; port: number; explanation: FlowExplanation }> }
  | { ok: false; message: string };

/**
 * One flow, from objects or an analysis already built: the explained verdict of every pod pair it stands
 * for (a workload stands for its pods), under the specification, with k3s's verdict where it differs.
 */
export function evaluate(input: readonly SourcedObject[] | NetpolAnalysis, query: EvaluateQuery, options: NetpolOptions = {}): EvaluateResult {
  const analysis = Array.isArray(input) ? analyzeObjects(input as readonly SourcedObject[], options) : (input as NetpolAnalysis);
  const protocol = query.protocol ?? 'TCP';
  const reference = parsePortValue(query.port, protocol, query.protocol === undefined);
  if ('error' in reference) return { ok: false, message: reference.error };
  const from = resolveEndpoint(analysis, query.from);
  if (!from.ok) return { ok: false, message: from.message };
  const to = resolveEndpoint(analysis, query.to);
  if (!to.ok) return { ok: false, message: to.message };
  const pairs: Array<{ from: string; to: string; port: number; explanation: FlowExplanation }> = [];
  for (const source of from.endpoints) {
    for (const destination of to.endpoints) {
      const port = portOn(reference as PortReference, destination);
      if ('error' in port) return { ok: false, message: port.error };
      pairs.push({ from: source.key, to: destination.key, port: port.port, explanation: explainFlow(analysis, { from: source, to: destination, port: port.port, protocol }) });
    }
  }
  return { ok: true, pairs };
}
