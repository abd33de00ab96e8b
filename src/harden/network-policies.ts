import type { KubeObject } from '../facts/kube-object.ts';

/**
 * The NetworkPolicies of the hardening guide, for k3s's manifests directory (k3s applies them at start and
 * when the files change). Each namespace gets an intra-namespace policy: its pods accept traffic only from
 * pods of the same namespace. kube-system then needs the policies that keep the cluster working: DNS for
 * every pod, metrics-server for the API server, and Traefik / its svclb pods for ingress traffic, each only
 * when k3s runs that component.
 */
export interface BundledComponents {
  coredns: boolean;
  metricsServer: boolean;
  traefik: boolean;
  servicelb: boolean;
}

/** k3s's `disable:` names for the bundled components. */
export function bundledComponents(disabled: readonly string[]): BundledComponents {
  const off = new Set(disabled);
  return {
    coredns: !off.has('coredns'),
    metricsServer: !off.has('metrics-server'),
    traefik: !off.has('traefik'),
    servicelb: !off.has('servicelb'),
  };
}

export const defaultPolicyNamespaces = ['kube-system', 'kube-public', 'default'] as const;

export interface NamedPolicy {
  object: KubeObject;
  /** Why the policy is there, for the plan. */
  purpose: string;
}

const networkPolicy = (namespace: string, name: string, spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'kharden' } },
  spec,
});

const allowAllIngress = (namespace: string, name: string, matchLabels: Record<string, string>): KubeObject =>
  networkPolicy(namespace, name, { podSelector: { matchLabels }, ingress: [{}], policyTypes: ['Ingress'] });

export function namespacePolicies(namespace: string, components: BundledComponents): NamedPolicy[] {
  const policies: NamedPolicy[] = [
    {
      object: networkPolicy(namespace, 'intra-namespace', {
        podSelector: {},
        ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } }] }],
        policyTypes: ['Ingress'],
      }),
      purpose: `pods in ${namespace} accept traffic only from ${namespace}`,
    },
  ];
  if (namespace !== 'kube-system') return policies;
  if (components.coredns) {
    policies.push({
      object: networkPolicy(namespace, 'default-network-dns-policy', {
        podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
        ingress: [
          {
            ports: [
              { port: 53, protocol: 'TCP' },
              { port: 53, protocol: 'UDP' },
            ],
          },
        ],
        policyTypes: ['Ingress'],
      }),
      purpose: 'every pod can still resolve names (CoreDNS on 53/UDP and 53/TCP)',
    });
  }
  if (components.metricsServer) {
    policies.push({
      object: allowAllIngress(namespace, 'allow-all-metrics-server', { 'k8s-app': 'metrics-server' }),
      purpose: 'the API server can still reach metrics-server',
    });
  }
  if (components.traefik && components.servicelb) {
    policies.push({
      object: allowAllIngress(namespace, 'allow-all-svclbtraefik-ingress', { 'svccontroller.k3s.cattle.io/svcname': 'traefik' }),
      purpose: "ingress traffic still reaches Traefik's svclb pods",
    });
  }
  if (components.traefik) {
    policies.push({
      object: allowAllIngress(namespace, 'allow-all-traefik-v121-ingress', { 'app.kubernetes.io/name': 'traefik' }),
      purpose: 'ingress traffic still reaches Traefik',
    });
  }
  return policies;
}

/** File name in the manifests directory: one file per namespace, so that k3s tracks each as its own AddOn. */
export function policyFileName(namespace: string): string {
  return `kharden-netpol-${namespace}.yaml`;
}
