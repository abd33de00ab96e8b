import { type Evidence, fail, notApplicable, pass, unknown, type Verdict } from '../../core/finding.ts';
import type { FileStat, NodeFacts } from '../../facts/node-facts.ts';
import { octal } from '../benchmarks/texts.ts';

/**
 * Mode and owner judgements over the file stats the collector took. A path with no stat at all was not
 * collected (UNKNOWN); `exists: false` is a fact (the caller says whether that is N/A or a problem).
 */
export function findStat(facts: NodeFacts, path: string): FileStat | undefined {
  return facts.files.find((file) => file.path === path);
}

/**
 * Entries below `directory` (directly, or at any depth) that exist or could not be examined; the collector also
 * records paths it looked for and did not find (`exists: false`), which are not entries of the directory.
 */
export function statsUnder(facts: NodeFacts, directory: string, depth: 'children' | 'recursive'): FileStat[] {
  const prefix = `${directory.replace(/\/+$/, '')}/`;
  return facts.files.filter(
    (file) => file.path.startsWith(prefix) && (depth === 'recursive' || !file.path.slice(prefix.length).includes('/')) && (file.exists || file.error !== undefined),
  );
}

/** "600 or more restrictive": no permission bit outside the allowed ones (setuid, setgid and sticky included). */
export function modeWithin(mode: number, allowed: number): boolean {
  return (mode & ~allowed & 0o7777) === 0;
}

export function isRootOwned(stat: FileStat): boolean {
  if (stat.uid !== undefined && stat.gid !== undefined) return stat.uid === 0 && stat.gid === 0;
  return stat.user === 'root' && stat.group === 'root';
}

export function ownerOf(stat: FileStat): string {
  const user = stat.user ?? (stat.uid === undefined ? '?' : String(stat.uid));
  const group = stat.group ?? (stat.gid === undefined ? '?' : String(stat.gid));
  return `${user}:${group}`;
}

export function modeEvidence(stat: FileStat): Evidence {
  return { subject: `${stat.path} mode`, value: stat.mode === undefined ? null : octal(stat.mode), source: { kind: 'file-stat', path: stat.path } };
}

export function ownerEvidence(stat: FileStat): Evidence {
  return { subject: `${stat.path} owner`, value: stat.uid === undefined && stat.user === undefined ? null : ownerOf(stat), source: { kind: 'file-stat', path: stat.path } };
}

export function notCollected(path: string): Verdict {
  return unknown(`kharden has no information about ${path}: it was not collected (run kharden as root on the node, or make sure the path is inside --root)`, [
    { subject: path, value: null, source: { kind: 'kharden', detail: 'not in the collected file list' } },
  ]);
}

export function unreadable(stat: FileStat): Verdict {
  return unknown(`${stat.path} could not be examined: ${stat.error?.message ?? 'no mode or owner recorded'}; run kharden as root`, [
    { subject: stat.path, value: null, source: { kind: 'file-stat', path: stat.path } },
  ]);
}

/** What a missing file means for a control: the benchmark's target does not exist on this node (N/A), or it should (UNKNOWN/FAIL). */
export interface WhenMissing {
  status: 'N/A' | 'UNKNOWN' | 'FAIL';
  reason: string;
}

export function missingVerdict(path: string, whenMissing: WhenMissing, extra: Evidence[] = []): Verdict {
  const evidence: Evidence[] = [{ subject: path, value: null, source: { kind: 'file-stat', path, detail: 'does not exist' } }, ...extra];
  const reason = `${path} does not exist: ${whenMissing.reason}`;
  switch (whenMissing.status) {
    case 'N/A':
      return notApplicable(reason, evidence);
    case 'UNKNOWN':
      return unknown(reason, evidence);
    case 'FAIL':
      return fail(reason, evidence);
  }
}

/** Mode of one file: within `allowed`. */
export function judgeMode(stat: FileStat, allowed: number, extra: Evidence[] = []): Verdict {
  if (stat.mode === undefined) return unreadable(stat);
  const evidence = [modeEvidence(stat), ...extra];
  return modeWithin(stat.mode, allowed)
    ? pass(`${stat.path} has mode ${octal(stat.mode)}`, evidence)
    : fail(`${stat.path} has mode ${octal(stat.mode)}, more permissive than ${octal(allowed)}`, evidence);
}

export function judgeOwner(stat: FileStat, extra: Evidence[] = []): Verdict {
  if (stat.uid === undefined && stat.user === undefined) return unreadable(stat);
  const evidence = [ownerEvidence(stat), ...extra];
  return isRootOwned(stat) ? pass(`${stat.path} is owned by root:root`, evidence) : fail(`${stat.path} is owned by ${ownerOf(stat)}, not root:root`, evidence);
}

/** One file, looked up by path, with what its absence means. */
export function singleFile(facts: NodeFacts, path: string, whenMissing: WhenMissing, judge: (stat: FileStat) => Verdict, extra: Evidence[] = []): Verdict {
  const stat = findStat(facts, path);
  if (stat === undefined) return notCollected(path);
  if (stat.error !== undefined) return unreadable(stat);
  if (!stat.exists) return missingVerdict(path, whenMissing, extra);
  return judge(stat);
}

/**
 * Many files judged together (PKI certificates, CNI files): every one must pass. Evidence lists the ones that
 * fail, or all of them when they pass (capped, so that a report stays readable).
 */
export function judgeAll(stats: readonly FileStat[], judge: (stat: FileStat) => Verdict, noun: string): Verdict {
  return combine(stats.map((stat) => judge(stat)), noun);
}

/** Several verdicts about parts of one control: any FAIL fails, else any UNKNOWN is unknown, else PASS. */
export function combine(verdicts: readonly Verdict[], noun: string): Verdict {
  const unknowns = verdicts.filter((verdict) => verdict.status === 'UNKNOWN');
  const failures = verdicts.filter((verdict) => verdict.status === 'FAIL');
  if (failures.length > 0) {
    const reasons = failures.map((verdict) => verdict.reason);
    return fail(`${failures.length} of ${verdicts.length} ${noun} do not comply: ${reasons.slice(0, 5).join('; ')}${reasons.length > 5 ? '; ...' : ''}`, failures.flatMap((verdict) => verdict.evidence));
  }
  if (unknowns.length > 0) return unknown(`${unknowns.length} of ${verdicts.length} ${noun} could not be examined: ${unknowns[0]?.reason ?? ''}`, unknowns.flatMap((verdict) => verdict.evidence));
  return pass(`all ${verdicts.length} ${noun} comply`, verdicts.flatMap((verdict) => verdict.evidence).slice(0, 20));
}
