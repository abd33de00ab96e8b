import { posix } from 'node:path';
import type { FileStat, Role } from '../facts/node-facts.ts';

/**
 * Modes and owners the benchmark asks of k3s's own files (CIS 1.1.x on servers, 4.1.x on every node). k3s
 * creates most of them correctly; a node that was copied, restored from a backup or edited by hand may
 * not be. kharden only tightens: a file that is already as restrictive is left alone.
 */
export interface FileRequirement {
  /** Matches a node path from the facts. */
  matches: (path: string) => boolean;
  /** The most permissive mode allowed (600 means no bit outside rw-------). */
  maxMode: number;
  rootOwned: boolean;
  /** What the path must be for the requirement to apply (a CNI network directory is not a CNI file). */
  type: 'file' | 'directory';
  roles: readonly Role[];
  what: string;
}

export interface FileModeParams {
  dataDir: string;
  /** PKI certificates: 600 in CIS k3s 1.9-1.11, 644 from 1.12 (k3s writes them 644). */
  certMode: number;
  /** The kubelet's client CA file (4.1.7): 600, or 644 where the benchmark allows it. */
  clientCaMode: number;
}

export function fileRequirements(params: FileModeParams): FileRequirement[] {
  const { dataDir } = params;
  const under = (dir: string) => (path: string) => posix.dirname(path) === dir;
  const exactly = (target: string) => (path: string) => path === target;
  const server = posix.join(dataDir, 'server');
  const agent = posix.join(dataDir, 'agent');
  const tls = posix.join(server, 'tls');
  return [
    {
      matches: (path) => path.startsWith('/var/lib/cni/networks/') && posix.basename(path) !== 'lock',
      maxMode: 0o600,
      rootOwned: true,
      type: 'file',
      roles: ['server', 'agent'],
      what: 'CNI IPAM file',
    },
    { matches: exactly(posix.join(server, 'db', 'etcd')), maxMode: 0o700, rootOwned: false, type: 'directory', roles: ['server'], what: 'etcd data directory' },
    ...['admin', 'scheduler', 'controller'].map(
      (name): FileRequirement => ({
        matches: exactly(posix.join(server, 'cred', `${name}.kubeconfig`)),
        maxMode: 0o600,
        rootOwned: true,
        type: 'file',
        roles: ['server'],
        what: `${name} kubeconfig`,
      }),
    ),
    { matches: exactly(tls), maxMode: 0o7777, rootOwned: true, type: 'directory', roles: ['server'], what: 'PKI directory' },
    { matches: (path) => under(tls)(path) && path.endsWith('.crt'), maxMode: params.certMode, rootOwned: true, type: 'file', roles: ['server'], what: 'PKI certificate' },
    { matches: (path) => under(tls)(path) && path.endsWith('.key'), maxMode: 0o600, rootOwned: true, type: 'file', roles: ['server'], what: 'PKI key' },
    ...['kubelet', 'kubeproxy'].map(
      (name): FileRequirement => ({
        matches: exactly(posix.join(agent, `${name}.kubeconfig`)),
        maxMode: 0o600,
        rootOwned: true,
        type: 'file',
        roles: ['server', 'agent'],
        what: `${name} kubeconfig`,
      }),
    ),
    { matches: exactly(posix.join(agent, 'client-ca.crt')), maxMode: params.clientCaMode, rootOwned: true, type: 'file', roles: ['server', 'agent'], what: 'kubelet client CA' },
  ];
}

export interface AttributeChange {
  path: string;
  what: string;
  fromMode: number;
  toMode: number;
  fromOwner: { uid: number; gid: number };
  toOwner: { uid: number; gid: number };
}

/** The chmod/chown changes that bring the node's files within the requirements. */
export function attributeChanges(files: readonly FileStat[], role: Role, params: FileModeParams): AttributeChange[] {
  const requirements = fileRequirements(params).filter((requirement) => requirement.roles.includes(role));
  const changes: AttributeChange[] = [];
  for (const file of files) {
    if (!file.exists || file.mode === undefined || file.uid === undefined || file.gid === undefined) continue;
    if (file.type === 'symlink' || file.symlinkTo !== undefined) continue;
    const type = file.type === 'directory' ? 'directory' : 'file';
    const requirement = requirements.find((candidate) => candidate.type === type && candidate.matches(file.path));
    if (requirement === undefined) continue;
    const toMode = file.mode & requirement.maxMode;
    const toOwner = requirement.rootOwned ? { uid: 0, gid: 0 } : { uid: file.uid, gid: file.gid };
    if (toMode === file.mode && toOwner.uid === file.uid && toOwner.gid === file.gid) continue;
    changes.push({ path: file.path, what: requirement.what, fromMode: file.mode, toMode, fromOwner: { uid: file.uid, gid: file.gid }, toOwner });
  }
  return changes;
}
