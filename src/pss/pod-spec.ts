import { z } from 'zod';

/**
 * The part of a pod (metadata + spec) that Pod Security admission reads, validated at the boundary.
 * Only these fields are checked; everything else in a pod spec is ignored, as the checks ignore it.
 * A JSON `null` means "not set", exactly as it decodes to a nil pointer in Go, so every field is nullish.
 */

const hostHandlerSchema = z
  .object({
    httpGet: z.object({ host: z.string().nullish() }).nullish(),
    tcpSocket: z.object({ host: z.string().nullish() }).nullish(),
  })
  .nullish();

const seccompProfileSchema = z.object({ type: z.string().nullish() }).nullish();
const appArmorProfileSchema = z.object({ type: z.string().nullish(), localhostProfile: z.string().nullish() }).nullish();
const seLinuxOptionsSchema = z
  .object({
    type: z.string().nullish(),
    user: z.string().nullish(),
    role: z.string().nullish(),
    level: z.string().nullish(),
  })
  .nullish();
const windowsOptionsSchema = z.object({ hostProcess: z.boolean().nullish() }).nullish();

export const containerSecurityContextSchema = z.object({
  privileged: z.boolean().nullish(),
  allowPrivilegeEscalation: z.boolean().nullish(),
  runAsNonRoot: z.boolean().nullish(),
  runAsUser: z.number().int().nullish(),
  capabilities: z
    .object({
      add: z.array(z.string()).nullish(),
      drop: z.array(z.string()).nullish(),
    })
    .nullish(),
  procMount: z.string().nullish(),
  seccompProfile: seccompProfileSchema,
  seLinuxOptions: seLinuxOptionsSchema,
  appArmorProfile: appArmorProfileSchema,
  windowsOptions: windowsOptionsSchema,
});

export const containerSchema = z.object({
  name: z.string(),
  ports: z
    .array(
      z.object({
        containerPort: z.number().int().nullish(),
        hostPort: z.number().int().nullish(),
        protocol: z.string().nullish(),
      }),
    )
    .nullish(),
  securityContext: containerSecurityContextSchema.nullish(),
  livenessProbe: hostHandlerSchema,
  readinessProbe: hostHandlerSchema,
  startupProbe: hostHandlerSchema,
  lifecycle: z.object({ postStart: hostHandlerSchema, preStop: hostHandlerSchema }).nullish(),
});

export const podSecurityContextSchema = z.object({
  runAsNonRoot: z.boolean().nullish(),
  runAsUser: z.number().int().nullish(),
  seccompProfile: seccompProfileSchema,
  seLinuxOptions: seLinuxOptionsSchema,
  appArmorProfile: appArmorProfileSchema,
  windowsOptions: windowsOptionsSchema,
  sysctls: z.array(z.object({ name: z.string(), value: z.string().nullish() })).nullish(),
});

/** Every source a volume can name (core/v1 VolumeSource); a volume naming none of them is defaulted to emptyDir. */
export const volumeSourceKeys = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
] as const;
export type VolumeSourceKey = (typeof volumeSourceKeys)[number];

const volumeSourceShape = Object.fromEntries(volumeSourceKeys.map((key) => [key, z.unknown().optional()])) as Record<
  VolumeSourceKey,
  z.ZodOptional<z.ZodUnknown>
>;

export const volumeSchema = z.object({ name: z.string(), ...volumeSourceShape });

export const podSpecSchema = z.object({
  hostNetwork: z.boolean().nullish(),
  hostPID: z.boolean().nullish(),
  hostIPC: z.boolean().nullish(),
  hostUsers: z.boolean().nullish(),
  os: z.object({ name: z.string().nullish() }).nullish(),
  runtimeClassName: z.string().nullish(),
  securityContext: podSecurityContextSchema.nullish(),
  volumes: z.array(volumeSchema).nullish(),
  initContainers: z.array(containerSchema).nullish(),
  containers: z.array(containerSchema).nullish(),
  ephemeralContainers: z.array(containerSchema).nullish(),
});

export const podMetadataSchema = z.object({
  name: z.string().nullish(),
  generateName: z.string().nullish(),
  namespace: z.string().nullish(),
  labels: z.record(z.string(), z.string()).nullish(),
  annotations: z.record(z.string(), z.string()).nullish(),
});

export type Container = z.infer<typeof containerSchema>;
export type ContainerSecurityContext = z.infer<typeof containerSecurityContextSchema>;
export type PodSecurityContext = z.infer<typeof podSecurityContextSchema>;
export type Volume = z.infer<typeof volumeSchema>;
export type PodSpec = z.infer<typeof podSpecSchema>;
export type PodMetadata = z.infer<typeof podMetadataSchema>;

/** What every check receives: the pod's (or template's) metadata and spec. */
export interface PodLike {
  metadata: PodMetadata;
  spec: PodSpec;
}

/** Validates an untrusted pod spec; the error names the first bad field with its path. */
export function parsePodSpec(value: unknown): { ok: true; spec: PodSpec } | { ok: false; message: string } {
  const parsed = podSpecSchema.safeParse(value);
  if (parsed.success) return { ok: true, spec: parsed.data };
  return { ok: false, message: describeZodError(parsed.error) };
}

export function parsePodMetadata(value: unknown): { ok: true; metadata: PodMetadata } | { ok: false; message: string } {
  const parsed = podMetadataSchema.safeParse(value ?? {});
  if (parsed.success) return { ok: true, metadata: parsed.data };
  return { ok: false, message: describeZodError(parsed.error) };
}

export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${formatPath(issue.path)}: ${issue.message}`)
    .join('; ');
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text === '' ? String(part) : `.${String(part)}`;
  }
  return text === '' ? '(root)' : text;
}
