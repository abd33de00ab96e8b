import { unknown } from '../../core/finding.ts';
import { type Control, defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { findStat, judgeAll, judgeMode, judgeOwner, missingVerdict, notCollected, statsUnder, unreadable } from './file-permissions.ts';
import { numberParam } from './params.ts';

/**
 * CIS 1.1.19-1.1.21: the server PKI in server/tls. 1.1.19's title covers the directory and its files (kube-bench
 * only checks the directory); kharden checks both. 1.1.20's mode is 600 or 644 depending on the benchmark.
 */
function tlsDirectory(input: NodeAuditInput): string {
  return `${input.context.dataDir}/server/tls`;
}

const whenMissing = { status: 'UNKNOWN' as const, reason: 'k3s creates the server PKI on every server; check --data-dir and that k3s has started' };

function pkiControl(id: string, reads: string, body: (input: NodeAuditInput, mode: () => number) => ReturnType<typeof judgeAll>): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id,
    reads: [reads],
    check: (input, benchmark) => {
      const directory = tlsDirectory(input);
      const stat = findStat(input.facts, directory);
      if (stat === undefined) return notCollected(directory);
      if (stat.error !== undefined) return unreadable(stat);
      if (!stat.exists) return missingVerdict(directory, whenMissing);
      return body(input, () => numberParam(benchmark, 'mode'));
    },
  });
}

function filesWithSuffix(input: NodeAuditInput, suffix: string) {
  return statsUnder(input.facts, tlsDirectory(input), 'children').filter((stat) => stat.path.endsWith(suffix) && stat.type !== 'directory');
}

export const pkiControls: readonly Control<NodeAuditInput>[] = [
  pkiControl('pki.directory-owner', 'server/tls and everything in it: owner', (input) => {
    const directory = tlsDirectory(input);
    const root = findStat(input.facts, directory);
    const entries = [...(root === undefined ? [] : [root]), ...statsUnder(input.facts, directory, 'recursive')];
    return judgeAll(entries, (stat) => judgeOwner(stat), `entries of ${directory}`);
  }),
  pkiControl('pki.cert-files-mode', 'server/tls/*.crt mode', (input, mode) => {
    const certificates = filesWithSuffix(input, '.crt');
    if (certificates.length === 0) return unknown(`kharden found no *.crt file in ${tlsDirectory(input)}; the server PKI should be there: collect the directory's files`);
    return judgeAll(certificates, (stat) => judgeMode(stat, mode()), `certificate files in ${tlsDirectory(input)}`);
  }),
  pkiControl('pki.key-files-mode', 'server/tls/*.key mode', (input, mode) => {
    const keys = filesWithSuffix(input, '.key');
    if (keys.length === 0) return unknown(`kharden found no *.key file in ${tlsDirectory(input)}; the server PKI should be there: collect the directory's files`);
    return judgeAll(keys, (stat) => judgeMode(stat, mode()), `key files in ${tlsDirectory(input)}`);
  }),
];
