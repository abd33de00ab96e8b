import type { CheckId } from './check.ts';
import type { FailedCheck } from './evaluate.ts';
import type { JsonObject } from './strategic-merge.ts';

/**
 * The result of `kharden pss`, the input of its renderers. Its JSON form (`-f json`) is documented in
 * docs/pss.md; change `apiVersion` when a field changes meaning.
 */
export const pssReportApiVersion = 'kharden.dev/v1';

/** Where an object came from: a manifest document (0-based index, 1-based line) or the cluster. */
export type PssSource =
  | { kind: 'file'; file: string; document: number; line: number; item?: number }
  | { kind: 'cluster'; server: string };

/** allowed: admitted with no warning; warning: admitted with a warning; rejected: the Pod (or the pods a controller creates) would be refused. */
export type PssStatus = 'allowed' | 'warning' | 'rejected' | 'exempt';

export interface PssPatch {
  /** `kubectl patch <resource> <name> --type strategic -p <json>` */
  strategicMergePatch: JsonObject;
  resolves: CheckId[];
  manual: string[];
  notes: string[];
  /** Checks that still fail after the patch (only those needing manual action). */
  remaining: CheckId[];
}

export interface PssObjectResult {
  source: PssSource;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** The enforce level and version applied (the version as written: `latest` or `v1.N`). */
  level: string;
  version: string;
  /** The policy version actually evaluated (latest and newer versions are clamped). */
  evaluatedVersion: string;
  status: PssStatus;
  /** Pods: admitted by enforce. Controllers: the pods they create would be admitted. */
  allowed: boolean;
  exempt: 'namespace' | 'runtimeClass' | null;
  /** Failing check IDs under enforce, in message order. */
  failingChecks: CheckId[];
  checks: FailedCheck[];
  /** `violates PodSecurity "restricted:latest": ...` exactly as the API server words it, or null. */
  message: string | null;
  /** For Pods: the full API error (`pods "web" is forbidden: violates PodSecurity ...`). */
  apiError: string | null;
  /** The warnings `kubectl apply` prints for this object (`would violate PodSecurity ...`). */
  warnings: string[];
  /** Check IDs behind the warning. */
  warningChecks: CheckId[];
  policy: { enforce: string; audit: string; warn: string };
  patch: PssPatch | null;
}

export interface PssNamespace {
  name: string;
  policy: { enforce: string; audit: string; warn: string };
  /** Where the policy comes from. */
  policySource: 'labels' | 'admission-config' | 'labels+admission-config' | 'none' | 'flag' | 'enforce-preview';
  exempt: boolean;
  labelErrors: string[];
  /** Whether a Namespace object was seen (manifest or cluster). */
  seen: boolean;
}

export interface PssNotCovered {
  source: PssSource;
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
  reason: string;
}

export interface PssProblem {
  source: PssSource | null;
  message: string;
}

export interface PssSummary {
  objects: number;
  allowed: number;
  warning: number;
  rejected: number;
  exempt: number;
  notCovered: number;
  problems: number;
}

export interface PssReport {
  apiVersion: typeof pssReportApiVersion;
  kind: 'PodSecurityReport';
  generatedAt: string;
  kharden: string;
  /** How policies were chosen: each namespace's own, one fixed level, or an enforce preview. */
  mode: 'namespace-policy' | 'fixed-level' | 'enforce-preview';
  /** What `latest` means in this report (`v1.37`) and the Kubernetes release it matches. */
  latest: { version: string; kubernetes: string };
  notices: string[];
  namespaces: PssNamespace[];
  objects: PssObjectResult[];
  notCovered: PssNotCovered[];
  problems: PssProblem[];
  summary: PssSummary;
}
