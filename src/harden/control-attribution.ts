import type { Status } from '../core/status.ts';
import type { NodeFacts } from '../facts/node-facts.ts';
import { predictFacts } from './predicted-facts.ts';
import type { HardenPlan, ManualItem, PlannedChange } from './plan.ts';

/** One verdict of the node audit, as much of a Finding as attribution needs. */
export interface AuditVerdict {
  id: string;
  title: string;
  status: Status;
  remediation: string;
}

/** The configured-state node audit (`kharden audit --configured`) of the selected benchmark. */
export type ConfiguredAudit = (facts: NodeFacts) => readonly AuditVerdict[];

/** The selected benchmark's catalog: which implementation each control id runs. */
export type CatalogIndex = ReadonlyMap<string, string>;

export interface AttributionOptions {
  /** --apply-sysctl: the kernel parameters are loaded now, not only at boot. */
  loadKernel: boolean;
}

/**
 * Files a k3s argument points at: without them the control the argument satisfies does not hold (the API
 * server does not even start without the admission configuration it is given).
 */
const neededFor: Array<{ path: RegExp; implementations: readonly string[] }> = [
  { path: /\/psa\.yaml$|admission/, implementations: ['apiserver.admission-event-rate-limit'] },
  { path: /\/audit\.yaml$/, implementations: ['apiserver.audit-policy-file'] },
  { path: /\/logs$/, implementations: ['apiserver.audit-log-path'] },
];

/** Cluster controls (section 5) a change addresses; they are judged on the cluster (`kharden audit --cluster`). */
const clusterImplementations: Array<{ path: RegExp; implementations: readonly string[] }> = [
  {
    path: /\/psa\.yaml$|admission|pod-security-policies/,
    implementations: [
      'policy.policy-control-mechanism',
      'policy.privileged-containers',
      'policy.host-pid',
      'policy.host-ipc',
      'policy.host-network',
      'policy.windows-host-process',
      'policy.host-path-volumes',
      'policy.host-ports',
    ],
  },
  { path: /kharden-netpol-/, implementations: ['policy.namespaces-network-policies'] },
];
/** What the restricted level adds to baseline. */
const restrictedOnly = ['policy.allow-privilege-escalation', 'policy.root-containers', 'policy.net-raw-capability', 'policy.capabilities-assigned'];

/** Controls that pass only once k3s has restarted and generated what the setting asks for. */
const generatedAtRestart: Record<string, string> = {
  'apiserver.encryption-providers': 'k3s writes the encryption configuration (aescbc) when it starts with secrets-encryption: true; then re-encrypt existing Secrets with `k3s secrets-encrypt reencrypt`',
};

/**
 * Which controls each change makes pass: the configured-state audit of the facts with that change alone,
 * against the audit of the facts as they are; files an argument points at share its controls. What still
 * does not pass after the whole plan is listed: first what waits for k3s's restart, then the node controls
 * files cannot fix; section 5 is summarised (it is judged on the cluster).
 */
export function attributeControls(plan: HardenPlan, facts: NodeFacts, audit: ConfiguredAudit, catalog: CatalogIndex, options: AttributionOptions): HardenPlan {
  const passing = (verdicts: readonly AuditVerdict[]): Set<string> => new Set(verdicts.filter((verdict) => verdict.status === 'PASS').map((verdict) => verdict.id));
  // Changes are judged as they act once in effect: the kernel parameters loaded (now with --apply-sysctl,
  // or at the next boot); what passes only then is listed as waiting for it.
  const predictOptions = { loadKernel: true };
  const before = passing(audit(facts));
  const afterVerdicts = audit(predictFacts(facts, plan.changes, predictOptions));
  const after = passing(afterVerdicts);
  const afterWithoutLoad = options.loadKernel ? after : passing(audit(predictFacts(facts, plan.changes, { loadKernel: false })));
  const fixed = [...after].filter((id) => !before.has(id));
  const idsOf = (implementations: readonly string[]): string[] => [...catalog].filter(([, implementation]) => implementations.includes(implementation)).map(([id]) => id);

  const changes: PlannedChange[] = plan.changes.map((change) => {
    const alone = passing(audit(predictFacts(facts, [change], predictOptions)));
    const controls = fixed.filter((id) => alone.has(id));
    for (const rule of neededFor) if (rule.path.test(change.path)) controls.push(...idsOf(rule.implementations).filter((id) => fixed.includes(id)));
    const clusterControls = clusterImplementations.filter((rule) => rule.path.test(change.path)).flatMap((rule) => idsOf(rule.implementations));
    if (plan.options.psaLevel === 'restricted' && /\/psa\.yaml$|admission/.test(change.path)) clusterControls.push(...idsOf(restrictedOnly));
    return { ...change, controls: unique(controls).sort(compareIds), clusterControls: unique(clusterControls).sort(compareIds) };
  });
  const attributed = new Set(changes.flatMap((change) => change.controls));
  for (const id of fixed.filter((candidate) => !attributed.has(candidate))) {
    // Passes only with several changes together: each content change shares it.
    for (const change of changes) if (change.action === 'create' || change.action === 'modify') change.controls.push(id);
  }
  for (const change of changes) change.controls.sort(compareIds);

  const writesSecretsEncryption = plan.changes.some((change) => change.operation.op === 'write' && /^secrets-encryption: true$/m.test(change.operation.content));
  const afterRestart: ManualItem[] = [];
  for (const verdict of afterVerdicts) {
    if (verdict.status === 'PASS' && !afterWithoutLoad.has(verdict.id)) {
      afterRestart.push({ id: verdict.id, title: verdict.title, remediation: 'the running kernel gets the value when 90-kubelet.conf is loaded: --apply-sysctl now, or the next boot' });
    }
  }
  const manual: ManualItem[] = [];
  let clusterPending = 0;
  for (const verdict of afterVerdicts) {
    if (verdict.status === 'PASS' || verdict.status === 'N/A') continue;
    const implementation = catalog.get(verdict.id) ?? '';
    const generated = generatedAtRestart[implementation];
    if (generated !== undefined && writesSecretsEncryption) {
      afterRestart.push({ id: verdict.id, title: verdict.title, remediation: generated });
      continue;
    }
    if (implementation.startsWith('policy.')) {
      clusterPending += 1;
      continue;
    }
    manual.push({ id: verdict.id, title: `${verdict.title} [${verdict.status} after this plan]`, remediation: verdict.remediation });
  }
  const notices = [...plan.notices];
  if (clusterPending > 0) {
    notices.push(`${clusterPending} section-5 controls (RBAC, workloads, policies) are judged on the cluster, not the node: run \`kharden audit --cluster\`; the Pod Security and NetworkPolicy files above address the ones listed under "cluster"`);
  }
  return { ...plan, changes, manual: [...manual, ...plan.manual], afterRestart, notices };
}

function unique(ids: readonly string[]): string[] {
  return [...new Set(ids)];
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
