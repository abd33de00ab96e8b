import { defineControl } from '../control.ts';
import { datastoreEvidence, type NodeAuditInput } from '../node-input.ts';
import { etcdApplies } from './etcd.ts';
import { judgeMode, singleFile } from './file-permissions.ts';
import { numberParam } from './params.ts';

/** CIS 1.1.11: the embedded etcd data directory (server/db/etcd) is 700 or stricter; N/A without embedded etcd. */
export const etcdDataDirControl = defineControl<NodeAuditInput>({
  id: 'etcd.data-dir-mode',
  reads: ['server/db/etcd mode'],
  check: (input, benchmark) => {
    const applies = etcdApplies(input);
    if (applies !== null) return applies;
    const path = input.context.paths.etcdDataDir;
    return singleFile(
      input.facts,
      path,
      { status: 'UNKNOWN', reason: 'this server uses embedded etcd, which keeps its data there; check --data-dir and that k3s has started' },
      (stat) => judgeMode(stat, numberParam(benchmark, 'mode')),
      datastoreEvidence(input.context.datastore),
    );
  },
});
