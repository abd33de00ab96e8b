import type { Source } from './source.ts';
import type { Status } from './status.ts';

/** One piece of evidence behind a verdict: what was looked at, the value seen there, and where it came from. */
export interface Evidence {
  /** What was looked at, for example `kube-apiserver --anonymous-auth` or `/var/lib/rancher/k3s/server/tls/server-ca.key mode`. */
  subject: string;
  /** The value seen; null when the thing was looked for and is absent. */
  value: string | null;
  source: Source;
}

/** The result of evaluating one control or check against facts. Pure data, serialisable as is. */
export interface Verdict {
  status: Status;
  /** Why: for FAIL what is wrong, for WARN what to check by hand, for N/A and UNKNOWN the reason. */
  reason: string;
  /** What a pass looks like, in the benchmark's words (for example `--anonymous-auth is set to false`). */
  expected?: string;
  evidence: Evidence[];
}

/** A verdict attached to the control that produced it and the subject (node, namespace, object) it is about. */
export interface Finding extends Verdict {
  /** Control or check id: a CIS number (`1.2.1`) or a kharden id (`host.kernel.vm.overcommit_memory`). */
  id: string;
  title: string;
  /** CIS section id (`1.2`) or kharden group (`host`). */
  section: string;
  target: Target;
  /** CIS "Automated" vs "Manual". */
  type: 'automated' | 'manual';
  scored: boolean;
  remediation: string;
  /** The node or object the verdict is about, when it is not the audited node itself. */
  subject?: string;
}

/** kube-bench's targets, plus kharden's host group. */
export const targets = ['master', 'etcd', 'controlplane', 'node', 'policies', 'host'] as const;
export type Target = (typeof targets)[number];

export function pass(reason: string, evidence: Evidence[], expected?: string): Verdict {
  return withExpected({ status: 'PASS', reason, evidence }, expected);
}
export function fail(reason: string, evidence: Evidence[], expected?: string): Verdict {
  return withExpected({ status: 'FAIL', reason, evidence }, expected);
}
export function warn(reason: string, evidence: Evidence[] = [], expected?: string): Verdict {
  return withExpected({ status: 'WARN', reason, evidence }, expected);
}
export function notApplicable(reason: string, evidence: Evidence[] = []): Verdict {
  return { status: 'N/A', reason, evidence };
}
export function unknown(reason: string, evidence: Evidence[] = [], expected?: string): Verdict {
  return withExpected({ status: 'UNKNOWN', reason, evidence }, expected);
}

function withExpected(verdict: Verdict, expected: string | undefined): Verdict {
  return expected === undefined ? verdict : { ...verdict, expected };
}
