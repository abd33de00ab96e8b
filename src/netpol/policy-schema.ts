import { z } from 'zod';

/**
 * The shape of a networking.k8s.io/v1 NetworkPolicy as written (before API defaulting). Only the shape is
 * checked here (a list is a list, a port is a number or a string); the API server's own rules are in
 * policy-validation.ts so that their messages can be worded like the API server's.
 */
const nullableList = <T extends z.ZodType>(item: T) => z.array(item).nullish();

export const labelSelectorShape = z
  .object({
    matchLabels: z.record(z.string(), z.string()).nullish(),
    matchExpressions: nullableList(
      z.object({ key: z.string(), operator: z.string(), values: nullableList(z.string()) }).loose(),
    ),
  })
  .loose();
export type LabelSelectorShape = z.infer<typeof labelSelectorShape>;

export const ipBlockShape = z.object({ cidr: z.string().nullish(), except: nullableList(z.string()) }).loose();

export const peerShape = z
  .object({
    podSelector: labelSelectorShape.nullish(),
    namespaceSelector: labelSelectorShape.nullish(),
    ipBlock: ipBlockShape.nullish(),
  })
  .loose();
export type PeerShape = z.infer<typeof peerShape>;

export const portShape = z
  .object({
    protocol: z.string().nullish(),
    port: z.union([z.number(), z.string()]).nullish(),
    endPort: z.number().nullish(),
  })
  .loose();
export type PortShape = z.infer<typeof portShape>;

export const ingressRuleShape = z.object({ from: nullableList(peerShape), ports: nullableList(portShape) }).loose();
export const egressRuleShape = z.object({ to: nullableList(peerShape), ports: nullableList(portShape) }).loose();

export const policySpecShape = z
  .object({
    podSelector: labelSelectorShape.nullish(),
    ingress: nullableList(ingressRuleShape),
    egress: nullableList(egressRuleShape),
    policyTypes: nullableList(z.string()),
  })
  .loose();
export type PolicySpecShape = z.infer<typeof policySpecShape>;

export const networkPolicyShape = z
  .object({
    apiVersion: z.string(),
    kind: z.literal('NetworkPolicy'),
    metadata: z
      .object({ name: z.string().optional(), generateName: z.string().optional(), namespace: z.string().optional() })
      .loose(),
    spec: policySpecShape.nullish(),
  })
  .loose();
export type NetworkPolicyShape = z.infer<typeof networkPolicyShape>;

/** A zod path as a Go field path: `spec.ingress[0].from[1].podSelector`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}
