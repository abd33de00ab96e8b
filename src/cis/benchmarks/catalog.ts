import type { Target } from '../../core/finding.ts';
import { type ControlTexts, controlTexts } from './texts.ts';

/**
 * A benchmark catalog as data: every control of one CIS k3s benchmark version, in the benchmark's own
 * words, and the kharden implementation that evaluates it with this benchmark's parameters.
 * One implementation serves every version; what differs between versions (a mode, a cipher list, a
 * title, Automated vs Manual) lives here.
 */
export type ParamValue = string | number | boolean | readonly string[];
export type Params = Readonly<Record<string, ParamValue>>;

/**
 * What a control's implementation reporting "not met" becomes: FAIL for controls the benchmark audits,
 * WARN for controls the benchmark leaves to the operator's judgement (no audit, result "Warn").
 */
export type UnmetStatus = 'FAIL' | 'WARN';

export interface CatalogEntry {
  /** CIS number (`1.2.1`) or kharden id (`host.kernel.vm.overcommit_memory`). */
  id: string;
  /** The benchmark's wording, without the "(Automated)"/"(Manual)" suffix. */
  title: string;
  /** `1.2`, `2`, `host`. */
  section: string;
  target: Target;
  /** CIS "Automated" vs "Manual" for this benchmark version. */
  type: 'automated' | 'manual';
  scored: boolean;
  /** Registry id of the implementation (`apiserver.anonymous-auth`, `policy.cluster-admin-usage`). */
  implementation: string;
  params: Params;
  unmetStatus: UnmetStatus;
  /** What a pass looks like. */
  expected: string;
  remediation: string;
}

export interface SectionInfo {
  id: string;
  title: string;
  target: Target;
}

export type BenchmarkId = 'k3s-cis-1.9' | 'k3s-cis-1.10' | 'k3s-cis-1.11' | 'k3s-cis-1.12' | 'k3s-cis-2.0' | 'k3s-cis-2.1';

export interface Benchmark {
  id: BenchmarkId;
  title: string;
  /** The CIS Kubernetes Benchmark version it adapts. */
  cisVersion: string;
  /** k3s minor versions this benchmark is selected for (inclusive). */
  k3sMinors: { from: number; to: number };
  /** Where the catalog's facts come from. */
  source: string;
  sections: readonly SectionInfo[];
  controls: readonly CatalogEntry[];
}

/** A catalog row as written in a benchmark file; section, target and texts are derived. */
export interface EntrySpec {
  id: string;
  title: string;
  type: 'automated' | 'manual';
  /** Defaults to `type === 'automated'`. */
  scored?: boolean;
  implementation: string;
  params?: Params;
  unmetStatus?: UnmetStatus;
}

export interface BenchmarkSpec extends Omit<Benchmark, 'sections' | 'controls'> {
  /** Titles of the sections, `5.6` or `5.7` for General Policies depending on the version. */
  sectionTitles: Readonly<Record<string, string>>;
  controls: readonly EntrySpec[];
}

/** The CIS target of a control, from its number: 1 master, 2 etcd, 3 controlplane, 4 node, 5 policies. */
export function targetOfId(id: string): Target {
  if (id.startsWith('host.')) return 'host';
  const part = id.split('.')[0];
  switch (part) {
    case '1':
      return 'master';
    case '2':
      return 'etcd';
    case '3':
      return 'controlplane';
    case '4':
      return 'node';
    case '5':
      return 'policies';
    default:
      throw new Error(`control id ${id} has no CIS section`);
  }
}

/** `1.2.1` → `1.2`; section 2 has no groups: `2.3` → `2`; kharden ids → `host`. */
export function sectionOfId(id: string): string {
  if (id.startsWith('host.')) return 'host';
  const parts = id.split('.');
  if (parts[0] === '2') return '2';
  return parts.slice(0, 2).join('.');
}

export function defineBenchmark(spec: BenchmarkSpec, extraEntries: readonly CatalogEntry[] = []): Benchmark {
  const controls: CatalogEntry[] = spec.controls.map((entry) => materialize(entry));
  controls.push(...extraEntries);
  const sections: SectionInfo[] = [];
  for (const control of controls) {
    if (sections.some((section) => section.id === control.section)) continue;
    const title = spec.sectionTitles[control.section];
    if (title === undefined) throw new Error(`${spec.id}: no title for section ${control.section}`);
    sections.push({ id: control.section, title, target: control.target });
  }
  const { sectionTitles: _titles, controls: _specs, ...rest } = spec;
  return { ...rest, sections, controls };
}

function materialize(entry: EntrySpec): CatalogEntry {
  const params = entry.params ?? {};
  const texts: ControlTexts = controlTexts(entry.implementation, params);
  return {
    id: entry.id,
    title: entry.title,
    section: sectionOfId(entry.id),
    target: targetOfId(entry.id),
    type: entry.type,
    scored: entry.scored ?? entry.type === 'automated',
    implementation: entry.implementation,
    params,
    unmetStatus: entry.unmetStatus ?? 'FAIL',
    expected: texts.expected,
    remediation: texts.remediation,
  };
}

/** Section titles shared by every k3s benchmark (General Policies moved from 5.7 to 5.6 in CIS 1.11). */
export const commonSectionTitles: Readonly<Record<string, string>> = {
  '1.1': 'Control Plane Node Configuration Files',
  '1.2': 'API Server',
  '1.3': 'Controller Manager',
  '1.4': 'Scheduler',
  '2': 'Etcd Node Configuration',
  '3.1': 'Authentication and Authorization',
  '3.2': 'Logging',
  '4.1': 'Worker Node Configuration Files',
  '4.2': 'Kubelet',
  '4.3': 'kube-proxy',
  '5.1': 'RBAC and Service Accounts',
  '5.2': 'Pod Security Standards',
  '5.3': 'Network Policies and CNI',
  '5.4': 'Secrets Management',
  '5.5': 'Extensible Admission Control',
  '5.6': 'General Policies',
  '5.7': 'General Policies',
  host: 'Host (kernel parameters the kubelet checks; k3s hardening guide)',
};
