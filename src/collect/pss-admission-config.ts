import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inputError } from '../core/errors.ts';
import { emptyPodSecurityConfiguration, parseAdmissionConfig, type PodSecurityConfiguration } from '../pss/admission-config.ts';

/**
 * Reads the PodSecurity admission configuration (`--admission-config psa.yaml`): a PodSecurityConfiguration,
 * or an AdmissionConfiguration whose PodSecurity entry is inline or a `path` (relative to the file, as
 * kube-apiserver resolves it). A missing or invalid file is an input error naming the file.
 */
export async function readPodSecurityConfiguration(file: string): Promise<{ configuration: PodSecurityConfiguration; files: string[] }> {
  const files: string[] = [];
  let current = file;
  for (let depth = 0; depth < 2; depth++) {
    files.push(current);
    let text: string;
    try {
      text = await readFile(current, 'utf8');
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
      const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : error instanceof Error ? error.message : String(error);
      throw inputError(`cannot read admission configuration ${current}: ${why}`, error);
    }
    const parsed = parseAdmissionConfig(text);
    if (parsed.kind === 'configuration') return { configuration: parsed.configuration, files };
    if (parsed.kind === 'error') throw inputError(`admission configuration ${current}: ${parsed.message}`);
    current = path.isAbsolute(parsed.path) ? parsed.path : path.join(path.dirname(current), parsed.path);
  }
  throw inputError(`admission configuration ${file}: the PodSecurity plugin path points at another AdmissionConfiguration`);
}

/** Where the admission configuration of k3s on a node was found, and what it says. */
export interface NodeAdmissionConfiguration {
  /** The kube-apiserver flag's value (a path on the node), or null when k3s runs without one. */
  file: string | null;
  /** Where the flag was seen: `config /etc/rancher/k3s/config.yaml:12`, `k3s log ...`. */
  seenIn: string | null;
  configuration: PodSecurityConfiguration;
}

/**
 * The PodSecurity configuration k3s on a node uses: kube-apiserver's `--admission-control-config-file`, from
 * what k3s runs (its log line) or is configured with (config.yaml, config.yaml.d, `key+` appends), read
 * under `root` (`/` on the node itself). Without the flag the plugin's defaults apply (privileged).
 */
export async function readNodePodSecurityConfiguration(root: string): Promise<NodeAdmissionConfiguration> {
  const { collectNodeFacts } = await import('./node.ts');
  const { effectiveArgs, lastValue } = await import('../k3s/effective-args.ts');
  const { describeSource } = await import('../core/source.ts');
  const facts = await collectNodeFacts({ root, mode: root === '/' ? 'live' : 'root' });
  if (!facts.k3s.installed) throw inputError(`k3s is not installed${root === '/' ? ' on this node' : ` under ${root}`}: give --admission-config FILE instead`);
  let flag: { value: string; seenIn: string } | null = null;
  for (const state of ['running', 'configured'] as const) {
    const apiServer = effectiveArgs(facts, state).components['kube-apiserver'];
    if (!apiServer.known) continue;
    const value = lastValue(apiServer, 'admission-control-config-file');
    flag = value === null ? null : { value: value.value, seenIn: describeSource(value.source) };
    break;
  }
  if (flag === null) flag = flagFromConfigFiles(facts.k3s.configFiles);
  if (flag === null) return { file: null, seenIn: null, configuration: emptyPodSecurityConfiguration };
  const onDisk = path.join(root, flag.value);
  const { configuration } = await readPodSecurityConfiguration(onDisk);
  return { file: flag.value, seenIn: flag.seenIn, configuration };
}

/** When k3s's defaults for its version are unknown, the flag is still in its config files (last one wins). */
function flagFromConfigFiles(files: ReadonlyArray<{ path: string; present: boolean; entries: ReadonlyArray<{ key: string; value: unknown; line: number }> }>): { value: string; seenIn: string } | null {
  let found: { value: string; seenIn: string } | null = null;
  for (const file of files) {
    if (!file.present) continue;
    for (const entry of file.entries) {
      if (entry.key !== 'kube-apiserver-arg' && entry.key !== 'kube-apiserver-arg+') continue;
      // A later plain key replaces the list; `key+` appends to it.
      if (entry.key === 'kube-apiserver-arg') found = null;
      const values = Array.isArray(entry.value) ? entry.value : [entry.value];
      for (const value of values) {
        const text = String(value).replace(/^--?/, '');
        if (text.startsWith('admission-control-config-file=')) found = { value: text.slice('admission-control-config-file='.length), seenIn: `config ${file.path}:${entry.line}` };
      }
    }
  }
  return found;
}
