import { type Evidence, fail, notApplicable, pass, unknown, type Verdict } from '../../core/finding.ts';
import type { Source } from '../../core/source.ts';
import { type BenchmarkContext, type Control, defineControl } from '../control.ts';
import { datastoreEvidence, etcdNotUsedReason, type NodeAuditInput } from '../node-input.ts';
import { isMapping, valueAt } from './config-mapping.ts';
import { stringParam } from './params.ts';

/**
 * CIS section 2: the embedded etcd's TLS settings, from the config file k3s writes for it
 * (server/db/etcd/config, YAML). Not applicable with SQLite or an external datastore (kube-bench fails the whole
 * section there; kharden says why it does not apply).
 */
type EtcdCheck = (config: EtcdConfigView, benchmark: BenchmarkContext, dataDir: string) => Verdict;

interface EtcdConfigView {
  path: string;
  content: Record<string, unknown>;
  source: Source;
}

function etcdControl(id: string, reads: readonly string[], judge: EtcdCheck): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id,
    reads: reads.map((key) => `embedded etcd config ${key}`),
    check: (input, benchmark) => {
      const applies = etcdApplies(input);
      if (applies !== null) return applies;
      const file = input.facts.etcdConfig;
      const path = `${input.context.dataDir}/server/db/etcd/config`;
      if (file === null) return unknown(`kharden did not read ${path}; run it as root on the server (or include the file under --root)`);
      const source: Source = { kind: 'file-content', path: file.path };
      if (file.error !== undefined) return unknown(`${file.path} could not be read: ${file.error.message}`, [{ subject: file.path, value: null, source }]);
      if (!file.present) {
        return unknown(`${file.path} does not exist although this server uses embedded etcd; k3s writes it at start: check that k3s has started with this data dir`, [
          { subject: file.path, value: null, source },
          ...datastoreEvidence(input.context.datastore),
        ]);
      }
      if (!isMapping(file.content)) return unknown(`${file.path} does not hold a YAML mapping`, [{ subject: file.path, value: null, source }]);
      return judge({ path: file.path, content: file.content, source }, benchmark, input.context.dataDir);
    },
  });
}

/** Section 2 and 1.1.11 apply to servers running embedded etcd. */
export function etcdApplies(input: NodeAuditInput): Verdict | null {
  const { datastore } = input.context;
  const reason = etcdNotUsedReason(datastore);
  return reason === null ? null : notApplicable(reason, datastoreEvidence(datastore));
}

function evidenceAt(config: EtcdConfigView, path: readonly string[]): Evidence {
  const value = valueAt(config.content, path);
  return {
    subject: `${config.path} ${path.join('.')}`,
    value: value === undefined || value === null ? null : String(value),
    source: { ...config.source, detail: path.join('.') },
  };
}

function equalsPaths(section: string, pairs: ReadonlyArray<readonly [key: string, param: string]>): EtcdCheck {
  return (config, benchmark, dataDir) => {
    const evidence: Evidence[] = [];
    const wrong: string[] = [];
    for (const [key, param] of pairs) {
      const expected = `${dataDir}/${stringParam(benchmark, param)}`;
      const item = evidenceAt(config, [section, key]);
      evidence.push(item);
      if (item.value !== expected) wrong.push(`${section}.${key} is ${item.value ?? 'not set'} (k3s uses ${expected})`);
    }
    return wrong.length === 0 ? pass(`${section} uses the certificates k3s generated for etcd`, evidence) : fail(wrong.join('; '), evidence);
  };
}

function isTrue(section: string, key: string): EtcdCheck {
  return (config) => {
    const item = evidenceAt(config, [section, key]);
    return item.value === 'true' ? pass(`${section}.${key} is true`, [item]) : fail(`${section}.${key} is ${item.value ?? 'not set (etcd default false)'}`, [item]);
  };
}

function notTrue(section: string, key: string): EtcdCheck {
  return (config) => {
    const item = evidenceAt(config, [section, key]);
    return item.value === 'true' ? fail(`${section}.${key} is true: etcd uses self-signed certificates`, [item]) : pass(`${section}.${key} is ${item.value ?? 'not set'}`, [item]);
  };
}

const uniqueCa: EtcdCheck = (config, benchmark, dataDir) => {
  const expected = `${dataDir}/${stringParam(benchmark, 'caFile')}`;
  const peer = evidenceAt(config, ['peer-transport-security', 'trusted-ca-file']);
  if (peer.value !== expected) return fail(`peer-transport-security.trusted-ca-file is ${peer.value ?? 'not set'} (k3s uses its etcd-only CA ${expected})`, [peer]);
  return pass('etcd peers trust k3s\'s etcd-only peer CA', [peer]);
};

export const etcdControls: readonly Control<NodeAuditInput>[] = [
  etcdControl('etcd.cert-file', ['client-transport-security.cert-file', 'client-transport-security.key-file'], equalsPaths('client-transport-security', [['cert-file', 'certFile'], ['key-file', 'keyFile']])),
  etcdControl('etcd.client-cert-auth', ['client-transport-security.client-cert-auth'], isTrue('client-transport-security', 'client-cert-auth')),
  etcdControl('etcd.auto-tls', ['client-transport-security.auto-tls'], notTrue('client-transport-security', 'auto-tls')),
  etcdControl('etcd.peer-cert-file', ['peer-transport-security.cert-file', 'peer-transport-security.key-file'], equalsPaths('peer-transport-security', [['cert-file', 'certFile'], ['key-file', 'keyFile']])),
  etcdControl('etcd.peer-client-cert-auth', ['peer-transport-security.client-cert-auth'], isTrue('peer-transport-security', 'client-cert-auth')),
  etcdControl('etcd.peer-auto-tls', ['peer-transport-security.auto-tls'], notTrue('peer-transport-security', 'auto-tls')),
  etcdControl('etcd.unique-ca', ['peer-transport-security.trusted-ca-file'], uniqueCa),
];
