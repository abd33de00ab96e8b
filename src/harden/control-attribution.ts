import type { Status } from '../core/status.ts';
import type { NodeFacts } from '../facts/node-facts.ts';
import { predictFacts } from './predicted-facts.ts';
import type { HardenPlan, ManualItem } from './plan.ts';

/** One verdict of the node audit, as much of a Finding as attribution needs. */
export interface AuditVerdict {
  id: string;
  title: string;
  status: Status;
  remediation: string;
}

/** The configured-state node audit (`kharden audit --configured`) of the selected benchmark. */
export type ConfiguredAudit = (facts: NodeFacts) => readonly AuditVerdict[];

/**
 * Which controls each change makes pass: the configured-state audit of the facts with that change alone,
 * against the audit of the facts as they are. Controls that pass only with several changes together go
 * to every change involved; what still does not pass after the whole plan is listed as manual.
 */
export function attributeControls(plan: HardenPlan, facts: NodeFacts, audit: ConfiguredAudit): HardenPlan {
  const passing = (verdicts: readonly AuditVerdict[]): Set<string> => new Set(verdicts.filter((verdict) => verdict.status === 'PASS').map((verdict) => verdict.id));
  const before = passing(audit(facts));
  const afterVerdicts = audit(predictFacts(facts, plan.changes));
  const after = passing(afterVerdicts);
  const fixed = [...after].filter((id) => !before.has(id));
  const changes = plan.changes.map((change) => {
    const alone = passing(audit(predictFacts(facts, [change])));
    return { ...change, controls: fixed.filter((id) => alone.has(id)) };
  });
  const attributed = new Set(changes.flatMap((change) => change.controls));
  const together = fixed.filter((id) => !attributed.has(id));
  if (together.length > 0) {
    for (const change of changes) if (change.activation === 'k3s-restart' || change.action === 'create' || change.action === 'modify') change.controls.push(...together);
  }
  for (const change of changes) change.controls.sort(compareIds);
  const manual: ManualItem[] = afterVerdicts
    .filter((verdict) => verdict.status === 'FAIL' || verdict.status === 'WARN' || verdict.status === 'UNKNOWN')
    .map((verdict) => ({ id: verdict.id, title: `${verdict.title} (${verdict.status} after this plan)`, remediation: verdict.remediation }));
  return { ...plan, changes, manual: [...manual, ...plan.manual] };
}

/** `1.2.9` < `1.2.10`. */
export function compareIds(a: string, b: string): number {
  const left = a.split('.');
  const right = b.split('.');
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const l = left[index];
    const r = right[index];
    if (l === undefined) return -1;
    if (r === undefined) return 1;
    const order = /^\d+$/.test(l) && /^\d+$/.test(r) ? Number(l) - Number(r) : l.localeCompare(r);
    if (order !== 0) return order;
  }
  return 0;
}
