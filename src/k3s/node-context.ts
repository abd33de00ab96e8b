import type { Source } from '../core/source.ts';
import type { Launch, NodeFacts } from '../facts/node-facts.ts';
import { parseK3sArgv } from './argv.ts';
import { resolveK3sSettings, settingValue, type ArgvLayer, type K3sSettings } from './config-merge.ts';
import { detectDatastore, type Datastore } from './datastore.ts';
import type { ArgsState } from './effective-args.ts';
import { parseK3sVersion, type K3sVersion } from './version.ts';

/**
 * Everything about a node that k3s's component arguments depend on, for one state:
 * `running` (what k3s last started with) or `configured` (what the next start will use).
 */
export interface NodeContext {
  state: ArgsState;
  installed: boolean;
  role: 'server' | 'agent' | null;
  version: K3sVersion | null;
  versionSource: Source | null;
  settings: K3sSettings;
  dataDir: string;
  datastore: Datastore;
  /** The Kubernetes node name: `node-name`, else the lower-cased host name, as k3s does. */
  nodeName: string | null;
  /** The launch whose argv was used (service unit or process), or null when neither is known. */
  launch: Launch | null;
  /** Caveats to carry into evidence: `no service unit found; used the running process's arguments`. */
  notes: string[];
}

export function nodeContext(facts: NodeFacts, state: ArgsState): NodeContext {
  const notes: string[] = [];
  const { process, service } = facts.k3s;
  const processHasFlags = process !== null && parseK3sArgv(process.argv).flags.length > 0;

  let launch: Launch | null;
  if (state === 'configured') {
    launch = service ?? process;
    if (service === null && process !== null) notes.push('no k3s service unit found: the running process\'s arguments stand in for the next start');
  } else {
    launch = processHasFlags ? process : (service ?? process);
    if (process !== null && !processHasFlags && service !== null) {
      notes.push('k3s hides its arguments from /proc (proctitle): the service unit\'s arguments stand in for the running ones');
    }
  }

  const argv: ArgvLayer[] = launch === null ? [] : [{ flags: parseK3sArgv(launch.argv).flags, source: launch.source }];
  const environment = state === 'running' && process?.environment !== undefined ? process.environment : facts.k3s.environment;
  const settings = resolveK3sSettings({ configFiles: facts.k3s.configFiles, argv, environment });

  const subcommand = launch === null ? null : parseK3sArgv(launch.argv).subcommand;
  const role = facts.k3s.role?.value ?? subcommand;

  const { version, source: versionSource } = chooseVersion(facts, state);
  const dataDir = settingValue(settings, 'data-dir')?.value ?? facts.k3s.dataDir;
  const nodeNameSetting = settingValue(settings, 'node-name')?.value;
  const nodeName = nodeNameSetting ?? (facts.hostname === null ? null : facts.hostname.toLowerCase());

  return {
    state,
    installed: facts.k3s.installed,
    role,
    version,
    versionSource,
    settings,
    dataDir,
    datastore: detectDatastore(facts, settings, role),
    nodeName,
    launch,
    notes,
  };
}

/**
 * The running version is the one k3s last logged at start (`Starting k3s vX`); the configured one is the
 * binary's, which runs at the next start. Each falls back to the other, then to the collector's choice.
 */
function chooseVersion(facts: NodeFacts, state: ArgsState): { version: K3sVersion | null; source: Source | null } {
  const evidence = facts.k3s.versionEvidence ?? [];
  const fromLog = [...evidence].reverse().find((item) => item.source.kind === 'k3s-log');
  const fromBinary = evidence.find((item) => item.source.kind === 'binary');
  const ordered = state === 'running' ? [fromLog, fromBinary, facts.k3s.version] : [fromBinary, fromLog, facts.k3s.version];
  for (const candidate of ordered) {
    if (candidate === undefined || candidate === null) continue;
    const version = parseK3sVersion(candidate.value);
    if (version !== null) return { version, source: candidate.source };
  }
  return { version: null, source: null };
}

/**
 * One k3s flag as k3s resolves it for a state (command line > config files > K3S_* environment > unset),
 * with its source; null when it is set nowhere. For controls that depend on a k3s-level switch.
 */
export function k3sSetting(facts: NodeFacts, name: string, state: ArgsState): { value: string; source: Source } | null {
  return settingValue(nodeContext(facts, state).settings, name);
}
