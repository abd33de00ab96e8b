import type { KubeObject, SourcedObject } from '../facts/kube-object.ts';
import { type NetpolOptions, analyzeObjects } from './analysis.ts';
import { coverageOf } from './coverage.ts';
import { dnsFindings } from './lint/dns-reachability.ts';
import type { SuggestedPolicy } from './suggest.ts';

/**
 * What applying suggested policies would do, checked with the same analysis as everything else: are the
 * policies valid, is every pod of the namespace isolated, can every pod still resolve names.
 */
export interface SuggestionCheck {
  /** API-server validation messages for the generated policies (expected: none). */
  invalid: string[];
  notIsolated: { ingress: string[]; egress: string[] };
  /** Pods of the namespace that could not reach kube-dns afterwards. */
  dnsBlocked: string[];
}

export function checkSuggestion(namespace: string, objects: readonly SourcedObject[], suggested: readonly SuggestedPolicy[], options: NetpolOptions = {}): SuggestionCheck {
  const generated = suggested.map(
    (policy, index): SourcedObject => ({ object: policy.object as KubeObject, origin: { kind: 'file', path: '<suggested>', document: index, line: 1 } }),
  );
  const analysis = analyzeObjects([...objects, ...generated], options);
  const invalid = analysis.problems.filter((problem) => problem.origin?.kind === 'file' && problem.origin.path === '<suggested>').map((problem) => `${problem.object}: ${problem.message}`);
  const coverage = coverageOf(analysis).find((entry) => entry.namespace === namespace);
  const dnsBlocked = dnsFindings(analysis)
    .filter((finding) => finding.namespace === namespace)
    .flatMap((finding) => finding.subjects);
  return {
    invalid,
    notIsolated: { ingress: coverage?.ingress.notIsolated ?? [], egress: coverage?.egress.notIsolated ?? [] },
    dnsBlocked,
  };
}
