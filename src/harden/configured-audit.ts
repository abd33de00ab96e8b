import { runAudit } from '../cis/engine.ts';
import type { NodeFacts } from '../facts/node-facts.ts';
import { effectiveArgs } from '../k3s/compute-args.ts';
import type { AuditVerdict, ConfiguredAudit } from './control-attribution.ts';

/** The node audit of one benchmark in a given state: what `kharden audit [--configured]` judges from facts. */
export function nodeAudit(benchmarkId: string, state: 'configured' | 'running'): ConfiguredAudit {
  return (facts: NodeFacts): AuditVerdict[] =>
    runAudit({ node: { facts, args: effectiveArgs(facts, state) } }, { benchmark: benchmarkId, generatedAt: new Date(0) }).sections.flatMap((section) =>
      section.findings.map((finding) => ({ id: finding.id, title: finding.title, status: finding.status, remediation: finding.remediation })),
    );
}
