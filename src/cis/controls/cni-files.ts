import { notApplicable } from '../../core/finding.ts';
import { type Control, defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { findStat, judgeAll, judgeMode, judgeOwner, notCollected, statsUnder, unreadable } from './file-permissions.ts';
import { numberParam } from './params.ts';

/**
 * CIS 1.1.9 and 1.1.10: the CNI IPAM state under /var/lib/cni/networks (flannel's host-local IPAM keeps one
 * file per allocated pod IP there). Lock files are excluded from the mode check, as the benchmark does.
 */
const directory = '/var/lib/cni/networks';

function cniControl(id: string, judgeFiles: (input: NodeAuditInput, mode: number | null) => ReturnType<typeof judgeAll>, readsMode: boolean): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id,
    reads: [`${directory}/** ${readsMode ? 'mode' : 'owner'}`],
    check: (input, benchmark) => {
      const root = findStat(input.facts, directory);
      if (root === undefined) return notCollected(directory);
      if (root.error !== undefined) return unreadable(root);
      if (!root.exists) {
        return notApplicable(`${directory} does not exist on this node: no CNI IPAM files to protect (the CNI has not allocated addresses here, or a CNI without host-local IPAM is used)`, [
          { subject: directory, value: null, source: { kind: 'file-stat', path: directory, detail: 'does not exist' } },
        ]);
      }
      return judgeFiles(input, readsMode ? numberParam(benchmark, 'mode') : null);
    },
  });
}

const filesOf = (input: NodeAuditInput) => statsUnder(input.facts, directory, 'recursive').filter((stat) => stat.type !== 'directory');

export const cniFileControls: readonly Control<NodeAuditInput>[] = [
  cniControl(
    'cni.files-mode',
    (input, mode) => {
      const files = filesOf(input).filter((stat) => !stat.path.endsWith('/lock'));
      if (files.length === 0) return notApplicable(`${directory} holds no IPAM files (lock files excluded)`, []);
      return judgeAll(files, (stat) => judgeMode(stat, mode ?? 0o600), `CNI files under ${directory}`);
    },
    true,
  ),
  cniControl(
    'cni.files-owner',
    (input) => {
      const files = filesOf(input);
      if (files.length === 0) return notApplicable(`${directory} holds no files`, []);
      return judgeAll(files, (stat) => judgeOwner(stat), `CNI files under ${directory}`);
    },
    false,
  ),
];
