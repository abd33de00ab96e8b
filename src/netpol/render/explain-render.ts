import type { FlowCheck } from '../flows.ts';
import type { FlowExplanation, FlowVerdict, RuleOutcome, SideVerdict } from '../flow-evaluation.ts';
import type { Tri } from '../tri.ts';

/** Explanations of single flows, as text. */
export function verdictWord(allowed: Tri | 'mixed'): string {
  switch (allowed) {
    case 'yes':
      return 'ALLOWED';
    case 'no':
      return 'DENIED';
    case 'maybe':
      return 'UNDECIDED';
    case 'mixed':
      return 'MIXED';
  }
}

function ruleLines(rule: RuleOutcome, indent: string): string[] {
  const head = `${indent}${rule.policy} ${rule.field}: ${rule.allows === 'yes' ? 'allows' : rule.allows === 'maybe' ? 'may allow' : 'does not allow'}`;
  const lines = [head];
  const inner = `${indent}    `;
  const peersKey = rule.field.startsWith('spec.ingress') ? 'from' : 'to';
  if (rule.peers === 'all') lines.push(`${inner}${peersKey}: every peer (no ${peersKey})`);
  else for (const peer of rule.peers) lines.push(`${inner}${peer.field.slice(rule.field.length + 1)} ${peer.peer}: ${peer.reason}`);
  if (rule.ports === 'all') lines.push(`${inner}ports: every port (no ports)`);
  else for (const port of rule.ports) lines.push(`${inner}${port.field.slice(rule.field.length + 1)} ${port.port}: ${port.reason}`);
  if (rule.deviation !== null) lines.push(`${inner}k3s: ${rule.deviation}`);
  return lines;
}

function sideLines(side: SideVerdict, indent: string): string[] {
  const label = `${indent}${side.direction.padEnd(7)} ${side.endpoint}: `;
  if (side.note !== null) return [`${label}${side.note}`];
  const lines = [`${label}isolated by ${side.isolatedBy.join(', ')} -> ${verdictWord(side.allowed)}`];
  const allowing = side.rules.filter((rule) => rule.allows !== 'no');
  const shown = allowing.length > 0 ? allowing : side.rules;
  for (const rule of shown) lines.push(...ruleLines(rule, `${indent}    `));
  if (side.rules.length === 0) lines.push(`${indent}    no ${side.direction} rules in these policies: nothing is allowed`);
  else if (allowing.length === 0) lines.push(`${indent}    no rule allows it`);
  else if (allowing.length < side.rules.length) lines.push(`${indent}    (${side.rules.length - allowing.length} other rule(s) do not allow it; -f json lists them)`);
  return lines;
}

export function verdictLines(verdict: FlowVerdict, indent = ''): string[] {
  const lines = [`${indent}${verdict.from} -> ${verdict.to} on ${verdict.port}/${verdict.protocol}: ${verdictWord(verdict.allowed)}`];
  if (verdict.self) {
    lines.push(`${indent}    a pod can always reach itself; no policy applies`);
    return lines;
  }
  lines.push(...sideLines(verdict.egress, `${indent}  `), ...sideLines(verdict.ingress, `${indent}  `));
  return lines;
}

export function explanationLines(explanation: FlowExplanation, indent = ''): string[] {
  const lines = verdictLines(explanation.verdict, indent);
  for (const note of explanation.notes) lines.push(`${indent}  k3s: ${note}`);
  return lines;
}

export function flowTitle(check: FlowCheck): string {
  const flow = check.flow;
  const name = flow.name === undefined ? '' : ` (${flow.name})`;
  return `flow ${check.index + 1}${name}: ${flow.from} -> ${flow.to} ${flow.port}/${flow.protocol ?? 'TCP'}: expected ${flow.expect}, ${verdictWord(check.allowed)}`;
}
