// A synthetic k3s cluster for the NetworkPolicy benchmark (deterministic):
// 500 namespaces (kube-system + 499 application namespaces), 10,000 pods, 2,000 NetworkPolicies.
//
// Each application namespace runs 4 Deployments of 5 pods (web, api, worker, db), each pod with its own
// address in 10.42.0.0/16, a pod-template-hash, and for db a per-pod name label (as StatefulSets have).
// Each namespace has 4 policies: a default deny, DNS egress, a web/api policy with same-namespace,
// ingress-controller and same-team cross-namespace peers, and one of four "specials" (ipBlock in the pod
// range, egress to 0.0.0.0/0 except 10.0.0.0/8, an endPort range from prod namespaces, an egress named
// port without `to`, which k3s enforces differently). kube-system has CoreDNS, Traefik, metrics-server
// and 16 other pods, and the k3s hardening guide's 4 policies.
export function syntheticCluster() {
  const objects = [];
  const namespaces = 500;
  let podIndex = 0;
  const address = () => {
    const n = podIndex++;
    return `10.42.${(n >> 8) & 0xff}.${n & 0xff}`;
  };
  const pod = (namespace, name, labels, ports, owner) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels,
      ...(owner === undefined ? {} : { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, controller: true, uid: `${owner}-uid` }] }),
    },
    spec: { containers: [{ name: 'main', image: 'registry.example/app:1', ports }] },
    status: { phase: 'Running', podIP: address() },
  });
  const policy = (namespace, name, spec) => ({ apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec });
  const nsName = (i) => (i === 0 ? 'kube-system' : `app-${String(i).padStart(3, '0')}`);
  const team = (i) => `team-${i % 25}`;
  const env = (i) => ['prod', 'staging', 'dev'][i % 3];

  for (let i = 0; i < namespaces; i++) {
    const namespace = nsName(i);
    objects.push({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: i === 0 ? {} : { team: team(i), env: env(i) } } });
  }

  // kube-system: 20 pods and the k3s hardening guide policies.
  const system = [
    ['coredns', { 'k8s-app': 'kube-dns' }, [{ containerPort: 53, name: 'dns', protocol: 'UDP' }, { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' }, { containerPort: 9153, name: 'metrics' }], 2],
    ['traefik', { 'app.kubernetes.io/name': 'traefik' }, [{ containerPort: 8000, name: 'web' }, { containerPort: 8443, name: 'websecure' }], 1],
    ['metrics-server', { 'k8s-app': 'metrics-server' }, [{ containerPort: 10250, name: 'https' }], 1],
    ['local-path-provisioner', { app: 'local-path-provisioner' }, [], 1],
    ['svclb-traefik', { 'svccontroller.k3s.cattle.io/svcname': 'traefik' }, [{ containerPort: 80 }, { containerPort: 443 }], 15],
  ];
  for (const [name, labels, ports, count] of system) {
    for (let r = 0; r < count; r++) objects.push(pod('kube-system', `${name}-${r}`, { ...labels, 'pod-template-hash': 'sys' }, ports, `${name}-sys`));
  }
  objects.push(
    policy('kube-system', 'intra-namespace', { podSelector: {}, ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } } }] }], policyTypes: ['Ingress'] }),
    policy('kube-system', 'default-network-dns-policy', { podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } }, ingress: [{ ports: [{ port: 53, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }], policyTypes: ['Ingress'] }),
    policy('kube-system', 'allow-all-metrics-server', { podSelector: { matchLabels: { 'k8s-app': 'metrics-server' } }, ingress: [{}], policyTypes: ['Ingress'] }),
    policy('kube-system', 'allow-all-traefik-v121-ingress', { podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } }, ingress: [{}], policyTypes: ['Ingress'] }),
  );

  const apps = [
    ['web', [{ containerPort: 8080, name: 'http' }]],
    ['api', [{ containerPort: 9000, name: 'grpc' }, { containerPort: 9090, name: 'metrics' }]],
    ['worker', [{ containerPort: 9090, name: 'metrics' }]],
    ['db', [{ containerPort: 5432, name: 'pg' }, { containerPort: 9187, name: 'metrics' }]],
  ];
  for (let i = 1; i < namespaces; i++) {
    const namespace = nsName(i);
    for (const [app, ports] of apps) {
      const hash = `${app}${i}`.slice(0, 10);
      for (let r = 0; r < 5; r++) {
        const labels = { app, tier: app === 'db' ? 'data' : 'app', 'pod-template-hash': hash };
        if (app === 'db') labels['statefulset.kubernetes.io/pod-name'] = `db-${r}`;
        objects.push(pod(namespace, `${app}-${hash}-${r}`, labels, ports, `${app}-${hash}`));
      }
    }
    objects.push(policy(namespace, 'default-deny', { podSelector: {}, policyTypes: ['Ingress', 'Egress'] }));
    objects.push(
      policy(namespace, 'allow-dns', {
        podSelector: {},
        egress: [
          {
            to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
            ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
          },
        ],
        policyTypes: ['Egress'],
      }),
    );
    objects.push(
      policy(namespace, 'web-api', {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] },
        ingress: [
          { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } } }], ports: [{ port: 'http' }] },
          { from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: { matchLabels: { team: team(i) } }, podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 'grpc' }] },
        ],
        egress: [
          { to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] },
          { to: [{ podSelector: { matchLabels: { app: 'api' } } }, { namespaceSelector: { matchLabels: { team: team(i) } }, podSelector: { matchLabels: { app: 'api' } } }], ports: [{ port: 'grpc' }] },
        ],
        policyTypes: ['Ingress', 'Egress'],
      }),
    );
    switch (i % 4) {
      case 0:
        objects.push(
          policy(namespace, 'db', {
            podSelector: { matchLabels: { app: 'db' } },
            ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }, { ipBlock: { cidr: `10.42.${i % 40}.0/24`, except: [`10.42.${i % 40}.128/25`] } }], ports: [{ port: 'pg' }] }],
            policyTypes: ['Ingress'],
          }),
        );
        break;
      case 1:
        objects.push(
          policy(namespace, 'worker-external', {
            podSelector: { matchLabels: { app: 'worker' } },
            egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: ['10.0.0.0/8'] } }], ports: [{ port: 443 }] }],
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'app-001' } } }], ports: [{ port: 'metrics' }] }],
            policyTypes: ['Ingress', 'Egress'],
          }),
        );
        break;
      case 2:
        objects.push(
          policy(namespace, 'api-range', {
            podSelector: { matchLabels: { app: 'api' } },
            ingress: [{ from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }], ports: [{ port: 9000, endPort: 9100 }] }],
            policyTypes: ['Ingress'],
          }),
        );
        break;
      default:
        objects.push(
          policy(namespace, 'metrics-egress', {
            podSelector: { matchLabels: { tier: 'app' } },
            egress: [{ ports: [{ port: 'metrics' }] }],
            policyTypes: ['Egress'],
          }),
        );
    }
  }
  return objects;
}
