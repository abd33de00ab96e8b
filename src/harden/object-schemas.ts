import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * Strict schemas of the Kubernetes and component-config objects kharden writes, following the upstream
 * types (networking/v1 NetworkPolicy, apiserver.config.k8s.io/v1 AdmissionConfiguration, PodSecurity and
 * EventRateLimit configurations, audit/v1 Policy, policy/v1beta1 PodSecurityPolicy, rbac/v1). Unknown
 * fields are errors, as the API server's strict decoding of its config files makes them.
 */
const dns1123Label = z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/).max(63);
const labelValue = z.string().regex(/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/).max(63);
const labelKey = z.string().regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/);
const labels = z.record(labelKey, labelValue);

const metadata = (namespaced: boolean) =>
  z.strictObject({
    name: z.string().min(1).max(253),
    ...(namespaced ? { namespace: dns1123Label } : {}),
    labels: labels.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  });

const labelSelector = z.strictObject({
  matchLabels: labels.optional(),
  matchExpressions: z
    .array(z.strictObject({ key: labelKey, operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() }))
    .optional(),
});

const port = z.strictObject({
  protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
  port: z.union([z.number().int().min(1).max(65535), z.string().min(1)]).optional(),
  endPort: z.number().int().min(1).max(65535).optional(),
});
const peer = z.strictObject({
  podSelector: labelSelector.optional(),
  namespaceSelector: labelSelector.optional(),
  ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).optional() }).optional(),
});

export const networkPolicySchema = z.strictObject({
  apiVersion: z.literal('networking.k8s.io/v1'),
  kind: z.literal('NetworkPolicy'),
  metadata: metadata(true),
  spec: z.strictObject({
    podSelector: labelSelector,
    ingress: z.array(z.strictObject({ from: z.array(peer).optional(), ports: z.array(port).optional() })).optional(),
    egress: z.array(z.strictObject({ to: z.array(peer).optional(), ports: z.array(port).optional() })).optional(),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'])).optional(),
  }),
});

const psaLevel = z.enum(['privileged', 'baseline', 'restricted']);
const psaVersion = z.string().regex(/^(latest|v1\.\d+)$/);
const uniqueStrings = (item: z.ZodString) => z.array(item).refine((list) => new Set(list).size === list.length, 'duplicate entries');

export const podSecurityConfigurationSchema = z.strictObject({
  apiVersion: z.enum(['pod-security.admission.config.k8s.io/v1', 'pod-security.admission.config.k8s.io/v1beta1', 'pod-security.admission.config.k8s.io/v1alpha1']),
  kind: z.literal('PodSecurityConfiguration'),
  defaults: z
    .strictObject({
      enforce: psaLevel.optional(),
      'enforce-version': psaVersion.optional(),
      audit: psaLevel.optional(),
      'audit-version': psaVersion.optional(),
      warn: psaLevel.optional(),
      'warn-version': psaVersion.optional(),
    })
    .optional(),
  exemptions: z
    .strictObject({
      usernames: uniqueStrings(z.string().min(1)).optional(),
      runtimeClasses: uniqueStrings(z.string().min(1)).optional(),
      namespaces: uniqueStrings(dns1123Label).optional(),
    })
    .optional(),
});

const rateLimit = z.strictObject({
  type: z.enum(['Server', 'Namespace', 'User', 'SourceAndObject']),
  qps: z.number().int().positive(),
  burst: z.number().int().positive(),
  cacheSize: z.number().int().positive().optional(),
});
export const eventRateLimitConfigurationSchema = z.strictObject({
  apiVersion: z.literal('eventratelimit.admission.k8s.io/v1alpha1'),
  kind: z.literal('Configuration'),
  limits: z.array(rateLimit).min(1),
});

const pluginSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('PodSecurity'), configuration: podSecurityConfigurationSchema }),
  z.strictObject({ name: z.literal('EventRateLimit'), configuration: eventRateLimitConfigurationSchema }),
]);

export const admissionConfigurationSchema = z.strictObject({
  apiVersion: z.literal('apiserver.config.k8s.io/v1'),
  kind: z.literal('AdmissionConfiguration'),
  plugins: z.array(pluginSchema).refine((plugins) => new Set(plugins.map((plugin) => plugin.name)).size === plugins.length, 'a plugin is configured twice'),
});

export const auditPolicySchema = z.strictObject({
  apiVersion: z.literal('audit.k8s.io/v1'),
  kind: z.literal('Policy'),
  omitStages: z.array(z.enum(['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'])).optional(),
  rules: z
    .array(
      z.strictObject({
        level: z.enum(['None', 'Metadata', 'Request', 'RequestResponse']),
        users: z.array(z.string()).optional(),
        userGroups: z.array(z.string()).optional(),
        verbs: z.array(z.string()).optional(),
        namespaces: z.array(z.string()).optional(),
        nonResourceURLs: z.array(z.string()).optional(),
        resources: z.array(z.strictObject({ group: z.string().optional(), resources: z.array(z.string()).optional() })).optional(),
        omitStages: z.array(z.string()).optional(),
      }),
    )
    .min(1),
});

const idRange = z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) });
const rule = z.strictObject({ rule: z.string(), ranges: z.array(idRange).optional() });
export const podSecurityPolicySchema = z.strictObject({
  apiVersion: z.literal('policy/v1beta1'),
  kind: z.literal('PodSecurityPolicy'),
  metadata: metadata(false),
  spec: z.strictObject({
    privileged: z.boolean().optional(),
    allowPrivilegeEscalation: z.boolean().optional(),
    requiredDropCapabilities: z.array(z.string()).optional(),
    allowedCapabilities: z.array(z.string()).optional(),
    allowedUnsafeSysctls: z.array(z.string()).optional(),
    volumes: z.array(z.string()).optional(),
    hostNetwork: z.boolean().optional(),
    hostIPC: z.boolean().optional(),
    hostPID: z.boolean().optional(),
    hostPorts: z.array(idRange).optional(),
    runAsUser: rule,
    seLinux: rule,
    supplementalGroups: rule,
    fsGroup: rule,
    readOnlyRootFilesystem: z.boolean().optional(),
  }),
});

const roleRef = z.strictObject({ apiGroup: z.literal('rbac.authorization.k8s.io'), kind: z.enum(['ClusterRole', 'Role']), name: z.string().min(1) });
const subject = z.strictObject({ kind: z.enum(['Group', 'User', 'ServiceAccount']), name: z.string().min(1), apiGroup: z.string().optional(), namespace: z.string().optional() });
export const clusterRoleSchema = z.strictObject({
  apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
  kind: z.literal('ClusterRole'),
  metadata: metadata(false),
  rules: z.array(
    z.strictObject({ apiGroups: z.array(z.string()), resources: z.array(z.string()), verbs: z.array(z.string()).min(1), resourceNames: z.array(z.string()).optional() }),
  ),
});
const bindingSchema = (kind: 'ClusterRoleBinding' | 'RoleBinding') =>
  z.strictObject({
    apiVersion: z.literal('rbac.authorization.k8s.io/v1'),
    kind: z.literal(kind),
    metadata: metadata(kind === 'RoleBinding'),
    roleRef,
    subjects: z.array(subject).min(1),
  });

const schemasByKind: Record<string, z.ZodType> = {
  NetworkPolicy: networkPolicySchema,
  AdmissionConfiguration: admissionConfigurationSchema,
  Policy: auditPolicySchema,
  PodSecurityPolicy: podSecurityPolicySchema,
  ClusterRole: clusterRoleSchema,
  ClusterRoleBinding: bindingSchema('ClusterRoleBinding'),
  RoleBinding: bindingSchema('RoleBinding'),
};

/** Problems of a generated YAML file: parse errors, and objects that do not validate against their kind. */
export function validateGeneratedYaml(content: string): string[] {
  const problems: string[] = [];
  const documents = parseAllDocuments(content);
  if (!Array.isArray(documents)) return ['not a YAML stream'];
  documents.forEach((document, index) => {
    for (const error of document.errors) problems.push(`document ${index + 1}: ${error.message}`);
    const value: unknown = document.toJS();
    if (value === null || typeof value !== 'object') {
      problems.push(`document ${index + 1}: not an object`);
      return;
    }
    const kind = (value as { kind?: unknown }).kind;
    const schema = typeof kind === 'string' ? schemasByKind[kind] : undefined;
    if (schema === undefined) {
      problems.push(`document ${index + 1}: kharden has no schema for kind ${String(kind)}`);
      return;
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      for (const issue of result.error.issues) problems.push(`document ${index + 1} (${String(kind)}) ${issue.path.join('.')}: ${issue.message}`);
    }
  });
  return problems;
}
