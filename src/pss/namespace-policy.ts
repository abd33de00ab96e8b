import { goQuote } from './message-format.ts';
import { compareLevels, parseLevel, parseVersion, type LevelVersion } from './level-version.ts';

/** The three modes of a namespace's Pod Security policy. */
export interface Policy {
  enforce: LevelVersion;
  audit: LevelVersion;
  warn: LevelVersion;
}

export const privilegedLatest: LevelVersion = { level: 'privileged', version: 'latest' };
export const privilegedPolicy: Policy = { enforce: privilegedLatest, audit: privilegedLatest, warn: privilegedLatest };

export const labelPrefix = 'pod-security.kubernetes.io/';
export const policyLabels = {
  enforce: `${labelPrefix}enforce`,
  enforceVersion: `${labelPrefix}enforce-version`,
  audit: `${labelPrefix}audit`,
  auditVersion: `${labelPrefix}audit-version`,
  warn: `${labelPrefix}warn`,
  warnVersion: `${labelPrefix}warn-version`,
} as const;

/** A label the admission plugin cannot parse, worded as the API server's field.Invalid error. */
export interface LabelError {
  label: string;
  value: string;
  /** `metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "strict": must be one of privileged, baseline, restricted` */
  message: string;
}

/**
 * PolicyToEvaluate: start from the defaults (admission configuration), override with each label present.
 * A bad enforce level fails closed (restricted), a bad audit or warn level fails open (privileged), a bad
 * version means latest. Without a warn label, a valid enforce label stricter than warn also sets warn
 * (with the enforce version unless warn-version is labelled). A valid policy is always returned.
 */
export function policyToEvaluate(labels: Readonly<Record<string, string>> | null | undefined, defaults: Policy): { policy: Policy; errors: LabelError[] } {
  const errors: LabelError[] = [];
  if (labels == null || Object.keys(labels).length === 0) return { policy: defaults, errors };
  const enforce = { ...defaults.enforce };
  const audit = { ...defaults.audit };
  const warn = { ...defaults.warn };
  const record = (label: string, value: string, error: string | undefined) => {
    if (error !== undefined) errors.push({ label, value, message: `metadata.labels[${label}]: Invalid value: ${goQuote(value)}: ${error}` });
  };

  let validEnforceLevel = false;
  const enforceLevel = labels[policyLabels.enforce];
  if (enforceLevel !== undefined) {
    const parsed = parseLevel(enforceLevel);
    enforce.level = parsed.value;
    validEnforceLevel = parsed.error === undefined;
    record(policyLabels.enforce, enforceLevel, parsed.error);
  }
  const enforceVersion = labels[policyLabels.enforceVersion];
  if (enforceVersion !== undefined) {
    const parsed = parseVersion(enforceVersion);
    enforce.version = parsed.value;
    record(policyLabels.enforceVersion, enforceVersion, parsed.error);
  }
  const auditLevel = labels[policyLabels.audit];
  if (auditLevel !== undefined) {
    const parsed = parseLevel(auditLevel);
    audit.level = parsed.error === undefined ? parsed.value : 'privileged';
    record(policyLabels.audit, auditLevel, parsed.error);
  }
  const auditVersion = labels[policyLabels.auditVersion];
  if (auditVersion !== undefined) {
    const parsed = parseVersion(auditVersion);
    audit.version = parsed.value;
    record(policyLabels.auditVersion, auditVersion, parsed.error);
  }
  const warnLevel = labels[policyLabels.warn];
  if (warnLevel !== undefined) {
    const parsed = parseLevel(warnLevel);
    warn.level = parsed.error === undefined ? parsed.value : 'privileged';
    record(policyLabels.warn, warnLevel, parsed.error);
  }
  const warnVersion = labels[policyLabels.warnVersion];
  if (warnVersion !== undefined) {
    const parsed = parseVersion(warnVersion);
    warn.version = parsed.value;
    record(policyLabels.warnVersion, warnVersion, parsed.error);
  }

  if (warnLevel === undefined && validEnforceLevel && compareLevels(enforce.level, warn.level) > 0) {
    warn.level = enforce.level;
    if (warnVersion === undefined) warn.version = enforce.version;
  }
  return { policy: { enforce, audit, warn }, errors };
}

export function fullyPrivileged(policy: Policy): boolean {
  return policy.enforce.level === 'privileged' && policy.audit.level === 'privileged' && policy.warn.level === 'privileged';
}

/** True when any pod-security.kubernetes.io/ policy label is present. */
export function hasPolicyLabels(labels: Readonly<Record<string, string>> | null | undefined): boolean {
  if (labels == null) return false;
  return Object.values(policyLabels).some((label) => labels[label] !== undefined);
}
