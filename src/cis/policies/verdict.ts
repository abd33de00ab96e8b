import type { Evidence, Verdict } from '../../core/finding.ts';
import type { Source } from '../../core/source.ts';
import type { ObjectOrigin } from '../../facts/kube-object.ts';
import { benchmarkById } from '../benchmarks/index.ts';
import type { CatalogEntry } from '../benchmarks/catalog.ts';
import { defineControl, type BenchmarkContext, type Control } from '../control.ts';
import type { ClusterAuditInput } from './input.ts';
import { describeRef, describeUnit, podSpecKinds, specsOf, type ObjectRef, type PodSpecView, type PodUnit } from './pod-specs.ts';

/**
 * How a benchmark treats a control, from its catalog entry (`params.assessment`):
 * - `automated`: PASS or FAIL (CIS "Automated", e.g. 5.1.1/5.1.3/5.1.5/5.1.6 in k3s-cis-1.9);
 * - `manual-audited`: CIS "Manual" but the benchmark's k3s profile audits it (5.1.1–5.1.6 and 5.2.2–5.2.6 in
 *   k3s-cis-1.12): PASS when its audit condition holds, WARN otherwise, as kube-bench does for unscored checks;
 * - `manual`: always WARN, as kube-bench; the reason says what kharden found and what to check by hand.
 * Whatever the assessment, missing data (a forbidden list) is UNKNOWN naming the permission, and nothing
 * to look at is N/A.
 */
export const assessments = ['automated', 'manual-audited', 'manual'] as const;
export type Assessment = (typeof assessments)[number];

export function assessmentOf(benchmark: BenchmarkContext, implementation: string, fallback: Assessment): Assessment {
  const value = benchmark.params.assessment;
  if (typeof value === 'string' && (assessments as readonly string[]).includes(value)) return value as Assessment;
  const entry = benchmarkById(benchmark.id)?.controls.find((control) => control.implementation === implementation);
  return entry === undefined ? fallback : assessmentOfEntry(entry);
}

/**
 * Reads the assessment off a benchmark catalog entry (src/cis/benchmarks): Automated → automated; Manual
 * that the benchmark's profile audits (its "not met" is FAIL, not WARN) → manual-audited; else manual.
 */
export function assessmentOfEntry(entry: Pick<CatalogEntry, 'type' | 'unmetStatus'>): Assessment {
  if (entry.type === 'automated') return 'automated';
  return entry.unmetStatus === 'WARN' ? 'manual' : 'manual-audited';
}

/** A string list parameter (allow-lists), or the fallback when the catalog does not set it. */
export function listParam(benchmark: BenchmarkContext, name: string, fallback: readonly string[]): readonly string[] {
  const value = benchmark.params[name];
  return Array.isArray(value) ? value : fallback;
}

export function numberParam(benchmark: BenchmarkContext, name: string, fallback: number): number {
  const value = benchmark.params[name];
  return typeof value === 'number' ? value : fallback;
}

/** What a control saw: the offending objects, what it could not judge, and how much it examined. */
export interface Scan {
  offences: Evidence[];
  /** Why part of the input could not be judged (a forbidden list naming the permission, an unreadable object). */
  gaps: string[];
  examined: number;
  /** What was examined, plural: `pods and workloads`, `ClusterRoleBindings`. */
  what: string;
  /** Context that is not an offence: exceptions the benchmark allows, settings seen in node-args. */
  notes: Evidence[];
  /** The control is about the cluster as a whole: nothing examined still needs a verdict (never N/A). */
  alwaysApplicable?: boolean;
}

export interface JudgeText {
  /** What a pass looks like, in the benchmark's words. */
  expected: string;
  /** The finding when there are offences: `3 containers run privileged`. */
  found: (count: number) => string;
  /** The finding when there are none: `no container runs privileged`. */
  clean: string;
  /** For manual controls: what a person must still check. */
  byHand: string;
}

/** Offences listed per verdict before the rest are counted in one line (a 10,000-pod cluster stays readable). */
export const defaultMaxEvidence = 100;

export function judge(scan: Scan, assessment: Assessment, text: JudgeText, input: ClusterAuditInput, maxEvidence = defaultMaxEvidence): Verdict {
  const scope = input.origin === 'manifests' ? ' (in the objects of the given files)' : '';
  const gapNote = scan.gaps.length > 0 ? ` Not judged: ${scan.gaps.join('; ')}.` : '';
  const byHand = ` Check by hand: ${text.byHand}`;
  if (scan.offences.length > 0) {
    const evidence = [...capped(scan.offences, maxEvidence), ...scan.notes];
    const status = assessment === 'automated' ? 'FAIL' : 'WARN';
    const reason = `${text.found(scan.offences.length)}${scope}.${gapNote}${assessment === 'automated' ? '' : byHand}`;
    return { status, reason, expected: text.expected, evidence };
  }
  if (scan.gaps.length > 0) {
    return {
      status: 'UNKNOWN',
      reason: `Cannot judge: ${scan.gaps.join('; ')}. Nothing offending was found in the rest${scope}.`,
      expected: text.expected,
      evidence: [examinedEvidence(scan), ...scan.notes],
    };
  }
  if (scan.examined === 0 && scan.alwaysApplicable !== true) {
    return { status: 'N/A', reason: `Nothing to check: no ${scan.what} in the ${input.origin === 'manifests' ? 'given files' : 'cluster'}.`, evidence: scan.notes };
  }
  if (scan.examined === 0 && assessment !== 'manual') {
    // A cluster-wide control with nothing to look at cannot pass.
    return { status: 'UNKNOWN', reason: `Cannot judge: kharden found no ${scan.what} to examine${scope}.`, expected: text.expected, evidence: scan.notes };
  }
  const evidence = scan.examined === 0 ? [...scan.notes] : [examinedEvidence(scan), ...scan.notes];
  if (assessment === 'manual') {
    return { status: 'WARN', reason: `kharden found ${text.clean}${scope}; this control is manual.${byHand}`, expected: text.expected, evidence };
  }
  return { status: 'PASS', reason: `${capitalize(text.clean)}${scope}.`, expected: text.expected, evidence };
}

function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}

function examinedEvidence(scan: Scan): Evidence {
  return { subject: `${scan.what} examined`, value: String(scan.examined), source: { kind: 'kharden' } };
}

function capped(offences: readonly Evidence[], max: number): Evidence[] {
  if (offences.length <= max) return [...offences];
  const rest = offences.length - max;
  return [
    ...offences.slice(0, max),
    { subject: `and ${rest} more`, value: `${rest} further offending objects not listed (${offences.length} in all)`, source: { kind: 'kharden' } },
  ];
}

/** The evidence source of an object: the file and line it came from, or the cluster. */
export function objectSource(origin: ObjectOrigin, ref: ObjectRef | string): Source {
  const detail = typeof ref === 'string' ? ref : describeRef(ref);
  if (origin.kind === 'file') {
    const item = origin.item === undefined ? '' : ` (list item ${origin.item})`;
    return { kind: 'api-object', path: origin.path, line: origin.line, detail: `${detail}${item}` };
  }
  return { kind: 'api-object', detail };
}

/** The problems that keep a control from judging the given kinds. */
export function gapsFor(input: ClusterAuditInput, kinds: readonly string[]): string[] {
  const gaps: string[] = [];
  for (const kind of kinds) {
    const problem = input.availability(kind).problem;
    if (problem !== null && !gaps.includes(problem)) gaps.push(problem);
  }
  return gaps;
}

/** One offence inside a pod spec: where in the spec (`container "app" securityContext.privileged`) and the value. */
export interface SpecOffence {
  field: string;
  value: string;
}

/** What a per-spec test returns: offences, or a reason it cannot judge this spec. */
export type SpecResult = SpecOffence | { gap: string };

/**
 * Runs a per-spec test over every pod unit and aggregates: one evidence line per unit and offence,
 * naming how many of the unit's pods show it. Unreadable specs become gaps.
 */
export function scanPodSpecs(input: ClusterAuditInput, test: (spec: PodSpecView, unit: PodUnit) => SpecResult[], extraKinds: readonly string[] = []): Scan {
  const { units, unreadable } = input.podUnits();
  const offences: Evidence[] = [];
  const unitGaps: string[] = [];
  for (const unit of units) {
    const specs = specsOf(unit);
    const counts = new Map<string, { offence: SpecOffence; pods: number }>();
    for (const { spec } of specs) {
      for (const offence of test(spec, unit)) {
        if ('gap' in offence) {
          const gap = `${describeUnit(unit)}: ${offence.gap}`;
          if (!unitGaps.includes(gap)) unitGaps.push(gap);
          continue;
        }
        const key = `${offence.field}\u0000${offence.value}`;
        const seen = counts.get(key);
        if (seen === undefined) counts.set(key, { offence, pods: 1 });
        else seen.pods += 1;
      }
    }
    for (const { offence, pods } of counts.values()) {
      const share = unit.from === 'pods' && unit.ref.kind !== 'Pod' && pods !== specs.length ? ` (${pods} of ${specs.length} pods)` : '';
      offences.push({ subject: `${describeUnit(unit)}: ${offence.field}${share}`, value: offence.value, source: objectSource(unit.origin, unit.ref) });
    }
  }
  const gaps = gapsFor(input, [...podSpecKinds, ...extraKinds]);
  gaps.push(...unitGaps.slice(0, 20));
  if (unitGaps.length > 20) gaps.push(`and ${unitGaps.length - 20} more`);
  for (const problem of unreadable) gaps.push(`${describeRef(problem.ref)} has an unreadable pod spec (${problem.message})`);
  return { offences, gaps, examined: units.length, what: 'pods and workloads', notes: [] };
}

export interface PodSpecControlSpec {
  id: string;
  /** The fields read, for docs and `--explain`. */
  fields: readonly string[];
  fallback: Assessment;
  test: (spec: PodSpecView, unit: PodUnit) => SpecResult[];
  text: JudgeText;
}

/** A control that judges every pod spec (pods, and workload templates without pods). */
export function podSpecControl(spec: PodSpecControlSpec): Control<ClusterAuditInput> {
  return defineControl<ClusterAuditInput>({
    id: spec.id,
    reads: ['Pods', 'workload pod templates', ...spec.fields],
    check: (input, benchmark) => judge(scanPodSpecs(input, spec.test), assessmentOf(benchmark, spec.id, spec.fallback), spec.text, input),
  });
}

/** Plural helper for reasons: `1 container`, `2 containers`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
