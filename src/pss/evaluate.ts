import type { CheckId } from './check.ts';
import { formatLevelVersion, type Level, type LevelVersion, type PolicyVersion } from './level-version.ts';
import type { PodLike } from './pod-spec.ts';
import { checksFor, effectiveVersion, knownLatestVersion } from './registry.ts';

/** One failed check: its ID, the short reason and the detail the admission message puts in parentheses. */
export interface FailedCheck {
  id: CheckId;
  reason: string;
  detail: string;
}

export interface PodEvaluation {
  /** The policy as requested (`restricted:latest` prints as latest even though a numbered version is evaluated). */
  levelVersion: LevelVersion;
  /** The v1.N minor actually evaluated (latest and newer-than-known versions are clamped). */
  evaluatedVersion: number;
  allowed: boolean;
  /** In message order (baseline checks sorted by ID, then restricted checks sorted by ID). */
  failed: FailedCheck[];
}

export interface EvaluateOptions {
  /** What `latest` means: the newest policy version of the target API server (default: kharden's newest, v1.37). */
  latestVersion?: number;
}

/**
 * Runs the checks of a level and policy version on an already-defaulted pod (see api-defaulting.ts),
 * exactly as the admission library's EvaluatePod does. Privileged allows everything.
 */
export function evaluatePodSecurity(pod: PodLike, levelVersion: LevelVersion, options: EvaluateOptions = {}): PodEvaluation {
  const evaluatedVersion = effectiveVersion(levelVersion.version, options.latestVersion ?? knownLatestVersion);
  const failed: FailedCheck[] = [];
  for (const check of checksFor(levelVersion.level, evaluatedVersion)) {
    const result = check.checkPod(pod);
    if (!result.allowed) failed.push({ id: check.id, reason: result.reason, detail: result.detail });
  }
  return { levelVersion, evaluatedVersion, allowed: failed.length === 0, failed };
}

/** AggregateCheckResults().ForbiddenReason(): the reasons alone, joined with ", ". */
export function forbiddenReason(failed: readonly FailedCheck[]): string {
  return failed.map((check) => reasonOf(check)).join(', ');
}

/** AggregateCheckResults().ForbiddenDetail(): `reason (detail), reason, ...`. */
export function forbiddenDetail(failed: readonly FailedCheck[]): string {
  let text = '';
  for (const check of failed) {
    if (text !== '') text += ', ';
    text += reasonOf(check);
    if (check.detail !== '') text += ` (${check.detail})`;
  }
  return text;
}

function reasonOf(check: FailedCheck): string {
  return check.reason === '' ? 'unknown forbidden reason' : check.reason;
}

/** The enforce rejection: `violates PodSecurity "restricted:latest": ...` (wrapped by the API server in `pods "x" is forbidden: `). */
export function violationMessage(levelVersion: LevelVersion, failed: readonly FailedCheck[]): string {
  return `violates PodSecurity "${formatLevelVersion(levelVersion)}": ${forbiddenDetail(failed)}`;
}

/** The warn-mode warning and the audit annotation: `would violate PodSecurity "baseline:v1.29": ...`. */
export function wouldViolateMessage(levelVersion: LevelVersion, failed: readonly FailedCheck[]): string {
  return `would violate PodSecurity "${formatLevelVersion(levelVersion)}": ${forbiddenDetail(failed)}`;
}

/** `pods "web" is forbidden: ...`, as apimachinery's NewForbidden prints it (`pods is forbidden` without a name). */
export function forbiddenStatusMessage(resource: string, name: string | undefined, message: string): string {
  return name === undefined || name === '' ? `${resource} is forbidden: ${message}` : `${resource} "${name}" is forbidden: ${message}`;
}

export type { Level, PolicyVersion };
