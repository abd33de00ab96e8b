import { type Evidence, notApplicable, unknown } from '../../core/finding.ts';
import { type Control, defineControl } from '../control.ts';
import { argEvidence } from '../evidence.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { combine, findStat, judgeMode, judgeOwner, missingVerdict, notCollected, statsUnder, unreadable } from './file-permissions.ts';
import { kubeletView } from './kubelet-settings.ts';
import { numberParam } from './params.ts';

/**
 * CIS 4.1.9/4.1.10 (the file given with --config) and 4.1.11 (the --config-dir drop-in directory, CIS 2.1).
 * k3s does not pass --config unless the operator adds it with kubelet-arg, so 4.1.9/4.1.10 are usually N/A; newer
 * k3s does run the kubelet with --config-dir agent/etc/kubelet.conf.d, so 4.1.11 applies there (the k3s 2.1
 * guide marks it N/A, which is no longer true).
 */
function configFileControl(id: string, judge: 'mode' | 'owner'): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id,
    reads: [`kubelet --config file ${judge}`],
    check: (input, benchmark) => {
      const result = kubeletView(input);
      if (!result.ok) return result.verdict;
      const { configFile, configDir } = result.view;
      if (configFile === null || configFile.value === '') {
        const how = configDir === null ? 'k3s passes its settings as flags' : `k3s passes its settings as flags and through the drop-in directory ${configDir.value} (see 4.1.11)`;
        const evidence: Evidence[] = [{ subject: 'kubelet --config', value: null, source: result.view.args.values[0]?.source ?? { kind: 'kharden' } }];
        if (configDir !== null) evidence.push(argEvidence('kubelet', configDir));
        return notApplicable(`the kubelet is not started with --config: ${how}`, evidence);
      }
      const evidence = [argEvidence('kubelet', configFile)];
      const stat = findStat(input.facts, configFile.value);
      if (stat === undefined) return notCollected(configFile.value);
      if (stat.error !== undefined) return unreadable(stat);
      if (!stat.exists) return missingVerdict(configFile.value, { status: 'FAIL', reason: 'the kubelet is told to read it' }, evidence);
      return judge === 'mode' ? judgeMode(stat, numberParam(benchmark, 'mode'), evidence) : judgeOwner(stat, evidence);
    },
  });
}

const dropInPermissions = defineControl<NodeAuditInput>({
  id: 'kubelet.drop-in-permissions',
  reads: ['kubelet --config-dir directory mode and owner', 'files in it: mode and owner'],
  check: (input, benchmark) => {
    const result = kubeletView(input);
    if (!result.ok) return result.verdict;
    const { configDir } = result.view;
    if (configDir === null || configDir.value === '') {
      return notApplicable('the kubelet is not started with --config-dir: there is no drop-in directory on this node', [
        { subject: 'kubelet --config-dir', value: null, source: result.view.args.values[0]?.source ?? { kind: 'kharden' } },
      ]);
    }
    const directory = configDir.value.replace(/\/+$/, '');
    const evidence = [argEvidence('kubelet', configDir)];
    const root = findStat(input.facts, directory);
    if (root === undefined) return notCollected(directory);
    if (root.error !== undefined) return unreadable(root);
    if (!root.exists) return missingVerdict(directory, { status: 'UNKNOWN', reason: 'the kubelet is told to read drop-ins from it; k3s creates it at start' }, evidence);
    const dirMode = numberParam(benchmark, 'dirMode');
    const fileMode = numberParam(benchmark, 'fileMode');
    const files = statsUnder(input.facts, directory, 'children').filter((stat) => stat.type !== 'directory');
    if (files.length === 0) return unknown(`kharden has no stat of the files in ${directory}; k3s writes 00-k3s-defaults.conf there: collect the directory's files`, evidence);
    const judgements = [
      judgeMode(root, dirMode),
      judgeOwner(root),
      ...files.map((stat) => judgeMode(stat, fileMode)),
      ...files.map((stat) => judgeOwner(stat)),
    ];
    const verdict = combine(judgements, `permission checks on ${directory} and its ${files.length} file(s)`);
    return { ...verdict, evidence: [...evidence, ...verdict.evidence] };
  },
});

export const kubeletConfigFileControls: readonly Control<NodeAuditInput>[] = [configFileControl('kubelet.config-file-mode', 'mode'), configFileControl('kubelet.config-file-owner', 'owner'), dropInPermissions];
