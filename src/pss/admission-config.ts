import { parseDocument } from 'yaml';
import { z } from 'zod';
import { goQuote } from './message-format.ts';
import { parseLevel, parseVersion, type LevelVersion } from './level-version.ts';
import { privilegedPolicy, type Policy } from './namespace-policy.ts';

/**
 * The PodSecurity admission plugin's configuration (kube-apiserver --admission-control-config-file):
 * a PodSecurityConfiguration on its own, or inside an AdmissionConfiguration's `plugins[]` entry named
 * PodSecurity (inline `configuration`, or `path` to a file). Decoded strictly as kube-apiserver does:
 * unknown and duplicate fields are errors, and an invalid file stops the API server from starting.
 */
export interface PodSecurityConfiguration {
  /** Applies to namespaces without labels, and to every mode a namespace does not label. */
  defaults: Policy;
  exemptions: {
    /** Exact request usernames; cannot be judged offline (kharden does not know who creates the pods). */
    usernames: string[];
    /** Exact `spec.runtimeClassName` values. */
    runtimeClasses: string[];
    namespaces: string[];
  };
}

export const emptyPodSecurityConfiguration: PodSecurityConfiguration = {
  defaults: privilegedPolicy,
  exemptions: { usernames: [], runtimeClasses: [], namespaces: [] },
};

export const podSecurityConfigurationApiVersions = [
  'pod-security.admission.config.k8s.io/v1',
  'pod-security.admission.config.k8s.io/v1beta1',
  'pod-security.admission.config.k8s.io/v1alpha1',
] as const;
const admissionConfigurationApiVersions = ['apiserver.config.k8s.io/v1', 'apiserver.k8s.io/v1alpha1'];

const stringList = z.array(z.string()).nullish();
const podSecurityConfigurationSchema = z.strictObject({
  apiVersion: z.string(),
  kind: z.literal('PodSecurityConfiguration'),
  defaults: z
    .strictObject({
      enforce: z.string().nullish(),
      'enforce-version': z.string().nullish(),
      audit: z.string().nullish(),
      'audit-version': z.string().nullish(),
      warn: z.string().nullish(),
      'warn-version': z.string().nullish(),
    })
    .nullish(),
  exemptions: z.strictObject({ usernames: stringList, runtimeClasses: stringList, namespaces: stringList }).nullish(),
});

const admissionConfigurationSchema = z.object({
  apiVersion: z.string(),
  kind: z.literal('AdmissionConfiguration'),
  plugins: z
    .array(z.object({ name: z.string(), path: z.string().nullish(), configuration: z.unknown().optional() }))
    .nullish(),
});

export type AdmissionConfigParse =
  | { kind: 'configuration'; configuration: PodSecurityConfiguration; /** how it was found, for reports */ origin: string }
  /** The AdmissionConfiguration points at another file for PodSecurity; read it and parse that. */
  | { kind: 'reference'; path: string }
  | { kind: 'error'; message: string };

/** Parses the text of an admission configuration file (YAML or JSON). Pure; the caller reads files. */
export function parseAdmissionConfig(text: string): AdmissionConfigParse {
  const document = parseDocument(text, { uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError !== undefined) return { kind: 'error', message: `not valid YAML: ${firstError.message.split('\n')[0] ?? ''}` };
  const value: unknown = document.toJS();
  if (value === null || value === undefined) {
    // An empty file configures nothing: privileged everywhere (admission/api/load).
    return { kind: 'configuration', configuration: emptyPodSecurityConfiguration, origin: 'empty file' };
  }
  if (typeof value !== 'object' || Array.isArray(value)) return { kind: 'error', message: 'expected a mapping with apiVersion and kind' };
  const kind = (value as Record<string, unknown>).kind;
  if (kind === 'AdmissionConfiguration') return parseAdmissionConfiguration(value);
  if (kind === 'PodSecurityConfiguration') {
    const parsed = parsePodSecurityConfiguration(value);
    return parsed.ok ? { kind: 'configuration', configuration: parsed.configuration, origin: 'PodSecurityConfiguration' } : { kind: 'error', message: parsed.message };
  }
  return { kind: 'error', message: `kind ${typeof kind === 'string' ? goQuote(kind) : '(none)'} is neither AdmissionConfiguration nor PodSecurityConfiguration` };
}

function parseAdmissionConfiguration(value: unknown): AdmissionConfigParse {
  const parsed = admissionConfigurationSchema.safeParse(value);
  if (!parsed.success) return { kind: 'error', message: `AdmissionConfiguration: ${issueText(parsed.error)}` };
  if (!admissionConfigurationApiVersions.includes(parsed.data.apiVersion)) {
    return { kind: 'error', message: `AdmissionConfiguration: apiVersion ${goQuote(parsed.data.apiVersion)} is not one of ${admissionConfigurationApiVersions.join(', ')}` };
  }
  const plugin = (parsed.data.plugins ?? []).find((entry) => entry.name === 'PodSecurity');
  if (plugin === undefined) {
    return { kind: 'configuration', configuration: emptyPodSecurityConfiguration, origin: 'AdmissionConfiguration without a PodSecurity plugin entry' };
  }
  if (plugin.configuration !== undefined && plugin.configuration !== null) {
    const inner = parsePodSecurityConfiguration(plugin.configuration);
    return inner.ok
      ? { kind: 'configuration', configuration: inner.configuration, origin: 'AdmissionConfiguration plugins[PodSecurity].configuration' }
      : { kind: 'error', message: `plugins[PodSecurity].configuration: ${inner.message}` };
  }
  if (plugin.path != null && plugin.path !== '') return { kind: 'reference', path: plugin.path };
  return { kind: 'configuration', configuration: emptyPodSecurityConfiguration, origin: 'AdmissionConfiguration PodSecurity entry without configuration' };
}

export function parsePodSecurityConfiguration(value: unknown): { ok: true; configuration: PodSecurityConfiguration } | { ok: false; message: string } {
  const parsed = podSecurityConfigurationSchema.safeParse(value);
  if (!parsed.success) return { ok: false, message: `PodSecurityConfiguration: ${issueText(parsed.error)}` };
  const { apiVersion, defaults, exemptions } = parsed.data;
  if (!(podSecurityConfigurationApiVersions as readonly string[]).includes(apiVersion)) {
    return { ok: false, message: `PodSecurityConfiguration: apiVersion ${goQuote(apiVersion)} is not one of ${podSecurityConfigurationApiVersions.join(', ')}` };
  }
  const errors: string[] = [];
  const mode = (levelKey: 'enforce' | 'audit' | 'warn'): LevelVersion => {
    const levelText = defaults?.[levelKey] ?? 'privileged';
    const versionText = defaults?.[`${levelKey}-version`] ?? 'latest';
    const level = parseLevel(levelText);
    const version = parseVersion(versionText);
    if (level.error !== undefined) errors.push(`defaults.${levelKey}: Invalid value: ${goQuote(levelText)}: ${level.error}`);
    if (version.error !== undefined) errors.push(`defaults.${levelKey}-version: Invalid value: ${goQuote(versionText)}: ${version.error}`);
    return { level: level.value, version: version.value };
  };
  const policy: Policy = { enforce: mode('enforce'), audit: mode('audit'), warn: mode('warn') };
  const usernames = exemptions?.usernames ?? [];
  const runtimeClasses = exemptions?.runtimeClasses ?? [];
  const namespaces = exemptions?.namespaces ?? [];
  validateList('exemptions.usernames', usernames, (name) => (name === '' ? 'must be non-empty' : undefined), errors);
  validateList('exemptions.runtimeClasses', runtimeClasses, dns1123SubdomainError, errors);
  validateList('exemptions.namespaces', namespaces, dns1123LabelError, errors);
  if (errors.length > 0) return { ok: false, message: `PodSecurityConfiguration is invalid (kube-apiserver would not start): ${errors.join('; ')}` };
  return { ok: true, configuration: { defaults: policy, exemptions: { usernames, runtimeClasses, namespaces } } };
}

function validateList(field: string, values: readonly string[], check: (value: string) => string | undefined, errors: string[]): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    const problem = check(value);
    if (problem !== undefined) errors.push(`${field}[${index}]: Invalid value: ${goQuote(value)}: ${problem}`);
    if (seen.has(value)) errors.push(`${field}[${index}]: Duplicate value: ${goQuote(value)}`);
    seen.add(value);
  });
}

const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function dns1123LabelError(value: string): string | undefined {
  if (value.length <= 63 && dns1123Label.test(value)) return undefined;
  return "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
}

function dns1123SubdomainError(value: string): string | undefined {
  if (value.length <= 253 && value.split('.').every((part) => /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(part))) return undefined;
  return "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
}

function issueText(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.length === 0 ? '' : `${issue.path.map(String).join('.')}: `;
      if (issue.code === 'unrecognized_keys') return `${where}unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => goQuote(key)).join(', ')}`;
      return `${where}${issue.message}`;
    })
    .join('; ');
}
