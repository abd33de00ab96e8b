import { z } from 'zod';
import type { NetpolAnalysis } from './analysis.ts';
import { type PortReference, parsePortValue, portOn, resolveEndpoint } from './endpoint-reference.ts';
import { type FlowExplanation, explainFlow } from './flow-evaluation.ts';
import type { Endpoint } from './inventory.ts';
import { type Protocol, isProtocol } from './port-set.ts';
import type { Tri } from './tri.ts';

/**
 * `kharden netpol assert`: expected flows, checked statically. A flow between workloads holds only if it
 * holds for every pod pair it stands for; an undecidable one (`maybe`) does not hold.
 */
export const flowSchema = z
  .object({
    name: z.string().optional(),
    from: z.string().min(1),
    to: z.string().min(1),
    port: z.union([z.number().int(), z.string().min(1)]),
    protocol: z.string().optional(),
    expect: z.enum(['allow', 'deny']),
  })
  .strict();
export type FlowSpec = z.infer<typeof flowSchema>;

export const flowsFileSchema = z.union([z.array(flowSchema), z.object({ flows: z.array(flowSchema) }).loose()]);
export const flowsObjectSchema = z.object({ flows: z.array(flowSchema) }).loose();

export interface FlowCheck {
  index: number;
  flow: FlowSpec;
  holds: boolean;
  /** The answer for the flow as a whole: yes when every pair is allowed, no when every pair is denied. */
  allowed: Tri | 'mixed';
  pairs: Array<{ from: string; to: string; port: number; protocol: Protocol; explanation: FlowExplanation }>;
  /** k3s decides differently for at least one pair. */
  k3sDiffers: boolean;
  note: string | null;
}

export interface FlowReferenceError {
  index: number;
  message: string;
}

export function checkFlows(
  analysis: NetpolAnalysis,
  flows: readonly FlowSpec[],
  /** Judge as the specification says (default) or as k3s (kube-router) enforces. */
  semantics: 'spec' | 'kube-router' = 'spec',
): { checks: FlowCheck[]; errors: FlowReferenceError[] } {
  const checks: FlowCheck[] = [];
  const errors: FlowReferenceError[] = [];
  flows.forEach((flow, index) => {
    const protocolText = (flow.protocol ?? 'TCP').toUpperCase();
    if (!isProtocol(protocolText)) {
      errors.push({ index, message: `protocol ${JSON.stringify(flow.protocol)} is not TCP, UDP or SCTP` });
      return;
    }
    const reference = parsePortValue(flow.port, protocolText, flow.protocol === undefined);
    if ('error' in reference) {
      errors.push({ index, message: reference.error });
      return;
    }
    const from = resolveEndpoint(analysis, flow.from);
    const to = resolveEndpoint(analysis, flow.to);
    if (!from.ok || !to.ok) {
      for (const resolution of [from, to]) if (!resolution.ok) errors.push({ index, message: resolution.message });
      return;
    }
    const result = checkPairs(analysis, from.endpoints, to.endpoints, reference);
    if ('error' in result) {
      errors.push({ index, message: result.error });
      return;
    }
    const answers = new Set(result.pairs.map((pair) => (semantics === 'spec' ? pair.explanation.verdict.allowed : (pair.explanation.k3s ?? pair.explanation.verdict).allowed)));
    const allowed: FlowCheck['allowed'] =
      answers.size === 1 ? ([...answers][0] as Tri) : answers.has('yes') && answers.has('no') ? 'mixed' : 'maybe';
    const holds = flow.expect === 'allow' ? allowed === 'yes' : allowed === 'no';
    checks.push({
      index,
      flow,
      holds,
      allowed,
      pairs: result.pairs,
      k3sDiffers: result.pairs.some((pair) => pair.explanation.k3s !== null),
      note: [from.note, to.note].filter((note) => note !== null).join('; ') || null,
    });
  });
  return { checks, errors };
}

export function checkPairs(
  analysis: NetpolAnalysis,
  sources: readonly Endpoint[],
  destinations: readonly Endpoint[],
  reference: PortReference,
): { pairs: FlowCheck['pairs'] } | { error: string } {
  const pairs: FlowCheck['pairs'] = [];
  for (const source of sources) {
    for (const destination of destinations) {
      if (source === destination && source.kind === 'pod' && (sources.length > 1 || destinations.length > 1)) continue;
      const port = portOn(reference, destination);
      if ('error' in port) return { error: port.error };
      const explanation = explainFlow(analysis, { from: source, to: destination, port: port.port, protocol: reference.protocol });
      pairs.push({ from: source.key, to: destination.key, port: port.port, protocol: reference.protocol, explanation });
    }
  }
  if (pairs.length === 0) return { error: 'the flow names the same single pod on both sides' };
  return { pairs };
}
