import type { Params } from './catalog.ts';

/**
 * What a pass looks like and how to get there, per implementation, in kharden's words (the benchmark's
 * remediation prose is not copied; its facts are: flag names, paths, values). Parameterised so that one
 * text serves every benchmark version (600 vs 644, cipher lists).
 */
export interface ControlTexts {
  expected: string;
  remediation: string;
}

type TextFactory = (params: Params) => ControlTexts;

const config = '/etc/rancher/k3s/config.yaml';
const restartServer = 'then restart k3s (`systemctl restart k3s`)';
const restartNode = 'then restart k3s on the node (`systemctl restart k3s` on servers, `systemctl restart k3s-agent` on agents)';

export function octal(mode: number): string {
  return mode.toString(8).padStart(3, '0');
}

function modeParam(params: Params, name = 'mode'): number {
  const value = params[name];
  if (typeof value !== 'number') throw new Error(`parameter ${name} must be a file mode number`);
  return value;
}

function listParam(params: Params, name: string): readonly string[] {
  const value = params[name];
  if (!Array.isArray(value)) throw new Error(`parameter ${name} must be a list`);
  return value as readonly string[];
}

function stringParam(params: Params, name: string): string {
  const value = params[name];
  if (typeof value !== 'string') throw new Error(`parameter ${name} must be a string`);
  return value;
}

function fileMode(path: string, what: string): TextFactory {
  return (params) => {
    const mode = octal(modeParam(params));
    return {
      expected: `${path} has mode ${mode} or more restrictive`,
      remediation: `k3s creates ${what} itself. Restore the mode with \`chmod ${mode} ${path}\` (or stricter).`,
    };
  };
}

function fileOwner(path: string): TextFactory {
  return () => ({
    expected: `${path} is owned by root:root`,
    remediation: `Run \`chown root:root ${path}\`.`,
  });
}

function apiserverArg(expected: string, remediation: string): TextFactory {
  return () => ({ expected, remediation: `${remediation} in the \`kube-apiserver-arg\` list of ${config} (or a config.yaml.d drop-in), ${restartServer}.` });
}

function controllerManagerArg(expected: string, remediation: string): TextFactory {
  return () => ({ expected, remediation: `${remediation} in the \`kube-controller-manager-arg\` list of ${config}, ${restartServer}.` });
}

function schedulerArg(expected: string, remediation: string): TextFactory {
  return () => ({ expected, remediation: `${remediation} in the \`kube-scheduler-arg\` list of ${config}, ${restartServer}.` });
}

function kubeletArg(expected: string, remediation: string): TextFactory {
  return () => ({ expected, remediation: `${remediation} in the \`kubelet-arg\` list of ${config} on every node, ${restartNode}.` });
}

function etcdConfig(expected: string): TextFactory {
  return () => ({
    expected,
    remediation:
      'k3s writes the embedded etcd configuration (server/db/etcd/config) at every start from its own settings: remove any `etcd-arg` entries in ' +
      `${config} that change TLS settings, ${restartServer}. Not applicable with SQLite or an external datastore.`,
  });
}

function kernelParameter(name: string, value: string): TextFactory {
  return () => ({
    expected: `${name} = ${value}, both now (/proc/sys) and at boot (/etc/sysctl.d)`,
    remediation:
      `Add \`${name}=${value}\` to /etc/sysctl.d/90-kubelet.conf and apply it with \`sysctl -p /etc/sysctl.d/90-kubelet.conf\`. ` +
      'The kubelet with protect-kernel-defaults refuses to start when this value differs.',
  });
}

function policy(expected: string, remediation: string): TextFactory {
  return () => ({ expected, remediation });
}

const factories: Readonly<Record<string, TextFactory>> = {
  'not-applicable': (params) => ({
    expected: 'not applicable to k3s',
    remediation: `None: ${stringParam(params, 'reason')}`,
  }),
  manual: (params) => ({
    expected: 'reviewed by the operator',
    remediation: stringParam(params, 'check'),
  }),

  // 1.1 files
  'cni.files-mode': (params) => ({
    expected: `every file under /var/lib/cni/networks (except lock files) has mode ${octal(modeParam(params))} or more restrictive`,
    remediation: `Run \`chmod ${octal(modeParam(params))}\` on the CNI IPAM files under /var/lib/cni/networks; lock files may stay as they are.`,
  }),
  'cni.files-owner': () => ({
    expected: 'every file under /var/lib/cni/networks is owned by root:root',
    remediation: 'Run `chown root:root` on the CNI IPAM files under /var/lib/cni/networks.',
  }),
  'etcd.data-dir-mode': (params) => ({
    expected: `the embedded etcd data directory (server/db/etcd) has mode ${octal(modeParam(params))} or more restrictive`,
    remediation: `Run \`chmod ${octal(modeParam(params))} /var/lib/rancher/k3s/server/db/etcd\` (under your --data-dir). Not applicable without embedded etcd.`,
  }),
  'file.admin-kubeconfig.mode': fileMode('/var/lib/rancher/k3s/server/cred/admin.kubeconfig', 'the admin kubeconfig'),
  'file.admin-kubeconfig.owner': fileOwner('/var/lib/rancher/k3s/server/cred/admin.kubeconfig'),
  'file.scheduler-kubeconfig.mode': fileMode('/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig', 'the scheduler kubeconfig'),
  'file.scheduler-kubeconfig.owner': fileOwner('/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig'),
  'file.controller-kubeconfig.mode': fileMode('/var/lib/rancher/k3s/server/cred/controller.kubeconfig', 'the controller-manager kubeconfig'),
  'file.controller-kubeconfig.owner': fileOwner('/var/lib/rancher/k3s/server/cred/controller.kubeconfig'),
  'file.kubeproxy-kubeconfig.mode': fileMode('/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig', 'the kube-proxy kubeconfig'),
  'file.kubeproxy-kubeconfig.owner': fileOwner('/var/lib/rancher/k3s/agent/kubeproxy.kubeconfig'),
  'file.kubelet-kubeconfig.mode': fileMode('/var/lib/rancher/k3s/agent/kubelet.kubeconfig', 'the kubelet kubeconfig'),
  'file.kubelet-kubeconfig.owner': fileOwner('/var/lib/rancher/k3s/agent/kubelet.kubeconfig'),
  'file.kubelet-client-ca.mode': fileMode('/var/lib/rancher/k3s/agent/client-ca.crt', "the kubelet's client CA file"),
  'file.kubelet-client-ca.owner': fileOwner('/var/lib/rancher/k3s/agent/client-ca.crt'),
  'pki.directory-owner': () => ({
    expected: '/var/lib/rancher/k3s/server/tls and every file in it are owned by root:root',
    remediation: 'Run `chown -R root:root /var/lib/rancher/k3s/server/tls`.',
  }),
  'pki.cert-files-mode': (params) => ({
    expected: `every /var/lib/rancher/k3s/server/tls/*.crt has mode ${octal(modeParam(params))} or more restrictive`,
    remediation:
      `Run \`chmod ${octal(modeParam(params))} /var/lib/rancher/k3s/server/tls/*.crt\`. ` +
      (modeParam(params) === 0o644 ? 'k3s creates them with mode 644; 600 is also accepted.' : 'k3s creates them with mode 644, so this needs doing after every certificate rotation.'),
  }),
  'pki.key-files-mode': (params) => ({
    expected: `every /var/lib/rancher/k3s/server/tls/*.key has mode ${octal(modeParam(params))} or more restrictive`,
    remediation: `Run \`chmod ${octal(modeParam(params))} /var/lib/rancher/k3s/server/tls/*.key\`.`,
  }),

  // 1.2 API server
  'apiserver.anonymous-auth': apiserverArg('--anonymous-auth=false', 'k3s sets --anonymous-auth=false; remove any `anonymous-auth=true`'),
  'apiserver.token-auth-file': apiserverArg('--token-auth-file is not set', 'Use another authentication mechanism and remove `token-auth-file=...`'),
  'apiserver.deny-service-external-ips': apiserverArg(
    '--enable-admission-plugins includes DenyServiceExternalIPs',
    'If Services should not use externalIPs, add DenyServiceExternalIPs to `enable-admission-plugins=...`',
  ),
  'apiserver.kubelet-client-certificate': apiserverArg(
    '--kubelet-client-certificate and --kubelet-client-key are set',
    'k3s sets both to server/tls/client-kube-apiserver.{crt,key}; remove any override of `kubelet-client-certificate`/`kubelet-client-key`',
  ),
  'apiserver.kubelet-certificate-authority': apiserverArg(
    '--kubelet-certificate-authority is set',
    'k3s sets it to server/tls/server-ca.crt; remove any empty or overriding `kubelet-certificate-authority=`',
  ),
  'apiserver.authorization-mode-not-always-allow': apiserverArg(
    '--authorization-mode does not include AlwaysAllow',
    'k3s sets Node,RBAC; remove `authorization-mode=AlwaysAllow`',
  ),
  'apiserver.authorization-mode-node': apiserverArg('--authorization-mode includes Node', 'Do not override `authorization-mode`, or keep Node in it,'),
  'apiserver.authorization-mode-rbac': apiserverArg('--authorization-mode includes RBAC', 'Do not override `authorization-mode`, or keep RBAC in it,'),
  'apiserver.admission-event-rate-limit': apiserverArg(
    '--enable-admission-plugins includes EventRateLimit (with its configuration in --admission-control-config-file)',
    'Add EventRateLimit to `enable-admission-plugins=...` and configure it in the AdmissionConfiguration file given by `admission-control-config-file=...` (the API server does not start without that configuration)',
  ),
  'apiserver.admission-always-admit': apiserverArg('--enable-admission-plugins does not include AlwaysAdmit', 'Remove AlwaysAdmit from `enable-admission-plugins=...`'),
  'apiserver.admission-always-pull-images': apiserverArg(
    '--enable-admission-plugins includes AlwaysPullImages',
    'Unless the cluster runs from pre-loaded images (air-gapped edge), add AlwaysPullImages to `enable-admission-plugins=...`',
  ),
  'apiserver.admission-service-account': apiserverArg('--disable-admission-plugins does not include ServiceAccount', 'Remove ServiceAccount from `disable-admission-plugins=...`'),
  'apiserver.admission-namespace-lifecycle': apiserverArg(
    '--disable-admission-plugins does not include NamespaceLifecycle',
    'Remove NamespaceLifecycle from `disable-admission-plugins=...`',
  ),
  'apiserver.admission-node-restriction': apiserverArg(
    '--enable-admission-plugins includes NodeRestriction',
    'k3s enables NodeRestriction; if you override `enable-admission-plugins=...`, keep NodeRestriction in the list',
  ),
  'apiserver.profiling': apiserverArg('--profiling=false', 'k3s sets --profiling=false; remove any `profiling=true`'),
  'apiserver.audit-log-path': apiserverArg(
    '--audit-log-path is set',
    'Create the log directory (`mkdir -p -m 700 /var/lib/rancher/k3s/server/logs`) and add `audit-log-path=/var/lib/rancher/k3s/server/logs/audit.log` together with `audit-policy-file=...`',
  ),
  'apiserver.audit-log-maxage': (params) =>
    apiserverArg(`--audit-log-maxage is ${String(params['minimum'])} or more`, `Add \`audit-log-maxage=${String(params['minimum'])}\``)(params),
  'apiserver.audit-log-maxbackup': (params) =>
    apiserverArg(`--audit-log-maxbackup is ${String(params['minimum'])} or more`, `Add \`audit-log-maxbackup=${String(params['minimum'])}\``)(params),
  'apiserver.audit-log-maxsize': (params) =>
    apiserverArg(`--audit-log-maxsize is ${String(params['minimum'])} or more`, `Add \`audit-log-maxsize=${String(params['minimum'])}\``)(params),
  'apiserver.request-timeout': apiserverArg(
    '--request-timeout is set as appropriate',
    'Keep the 60s default unless clients need longer; if so add `request-timeout=<duration>`',
  ),
  'apiserver.service-account-lookup': apiserverArg('--service-account-lookup is not set, or set to true', 'Remove `service-account-lookup=false`'),
  'apiserver.service-account-key-file': apiserverArg(
    '--service-account-key-file is set',
    'k3s sets it to server/tls/service.key; remove any empty or overriding `service-account-key-file=`',
  ),
  'apiserver.etcd-certfile': apiserverArg(
    '--etcd-certfile and --etcd-keyfile are set (embedded or external etcd)',
    'k3s sets both for embedded etcd (server/tls/etcd/client.{crt,key}); for external etcd set `datastore-certfile`/`datastore-keyfile`; remove any override',
  ),
  'apiserver.tls-cert-file': apiserverArg(
    '--tls-cert-file and --tls-private-key-file are set',
    'k3s sets both to server/tls/serving-kube-apiserver.{crt,key}; remove any override',
  ),
  'apiserver.client-ca-file': apiserverArg('--client-ca-file is set', 'k3s sets it to server/tls/client-ca.crt; remove any override'),
  'apiserver.etcd-cafile': apiserverArg(
    '--etcd-cafile is set (embedded or external etcd)',
    'k3s sets it for embedded etcd (server/tls/etcd/server-ca.crt); for external etcd set `datastore-cafile`; remove any override',
  ),
  'apiserver.encryption-provider-config': () => ({
    expected: '--encryption-provider-config is set',
    remediation: `Set \`secrets-encryption: true\` in ${config} (k3s then writes server/cred/encryption-config.json and passes it), ${restartServer}; manage keys with \`k3s secrets-encrypt\`.`,
  }),
  'apiserver.encryption-providers': (params) => ({
    expected: `the first provider for secrets in the encryption configuration is one of ${listParam(params, 'allowed').join(', ')}`,
    remediation: `Set \`secrets-encryption: true\` in ${config} (k3s uses aescbc, or secretbox with \`secrets-encryption-provider\`), ${restartServer}, then re-encrypt with \`k3s secrets-encrypt reencrypt\`.`,
  }),
  'apiserver.tls-cipher-suites': (params) =>
    apiserverArg(
      `--tls-cipher-suites lists only: ${listParam(params, 'allowed').join(', ')}`,
      'k3s sets a strong list by default; remove a custom `tls-cipher-suites=...` or restrict it to the allowed suites',
    )(params),
  'apiserver.audit-policy-file': apiserverArg(
    '--audit-policy-file is set',
    'Write an audit policy (for example /var/lib/rancher/k3s/server/audit.yaml with `rules: [{level: Metadata}]`) and add `audit-policy-file=/var/lib/rancher/k3s/server/audit.yaml`',
  ),
  'apiserver.service-account-extend-token-expiration': apiserverArg(
    '--service-account-extend-token-expiration=false',
    'Add `service-account-extend-token-expiration=false` (the default is true)',
  ),

  // 1.3 controller manager
  'controller-manager.terminated-pod-gc-threshold': controllerManagerArg(
    '--terminated-pod-gc-threshold is set',
    'Add `terminated-pod-gc-threshold=<n>` (the hardening guide uses 10, or 100 from k3s 1.29)',
  ),
  'controller-manager.profiling': controllerManagerArg('--profiling=false', 'k3s sets --profiling=false; remove any `profiling=true`'),
  'controller-manager.use-service-account-credentials': controllerManagerArg(
    '--use-service-account-credentials is not false',
    'k3s sets it to true; remove any `use-service-account-credentials=false`',
  ),
  'controller-manager.service-account-private-key-file': controllerManagerArg(
    '--service-account-private-key-file is set',
    'k3s sets it to server/tls/service.current.key; remove any override',
  ),
  'controller-manager.root-ca-file': controllerManagerArg('--root-ca-file is set', 'k3s sets it to server/tls/server-ca.crt; remove any override'),
  'controller-manager.rotate-kubelet-server-certificate': controllerManagerArg(
    'the RotateKubeletServerCertificate feature gate is not disabled',
    'Remove `RotateKubeletServerCertificate=false` from `feature-gates=...`',
  ),
  'controller-manager.bind-address': controllerManagerArg('--bind-address is 127.0.0.1 (or not set)', 'k3s binds to 127.0.0.1; remove any `bind-address=<IP>`'),

  // 1.4 scheduler
  'scheduler.profiling': schedulerArg('--profiling=false', 'k3s sets --profiling=false; remove any `profiling=true`'),
  'scheduler.bind-address': schedulerArg('--bind-address is 127.0.0.1 (or not set)', 'k3s binds to 127.0.0.1; remove any `bind-address=<IP>`'),

  // 2 etcd
  'etcd.cert-file': etcdConfig('client-transport-security cert-file and key-file are k3s\'s server-client.crt/.key'),
  'etcd.client-cert-auth': etcdConfig('client-transport-security client-cert-auth is true'),
  'etcd.auto-tls': etcdConfig('client-transport-security auto-tls is not true'),
  'etcd.peer-cert-file': etcdConfig('peer-transport-security cert-file and key-file are k3s\'s peer-server-client.crt/.key'),
  'etcd.peer-client-cert-auth': etcdConfig('peer-transport-security client-cert-auth is true'),
  'etcd.peer-auto-tls': etcdConfig('peer-transport-security auto-tls is not true'),
  'etcd.unique-ca': etcdConfig('peer-transport-security trusted-ca-file is k3s\'s etcd peer-ca.crt (a CA used only by etcd)'),

  // 4.1 node files
  'kubelet.config-file-mode': (params) => ({
    expected: `the file given to the kubelet with --config has mode ${octal(modeParam(params))} or more restrictive`,
    remediation: `Run \`chmod ${octal(modeParam(params))} <file>\` on the file passed with \`kubelet-arg: config=<file>\`.`,
  }),
  'kubelet.config-file-owner': () => ({
    expected: 'the file given to the kubelet with --config is owned by root:root',
    remediation: 'Run `chown root:root <file>` on the file passed with `kubelet-arg: config=<file>`.',
  }),
  'kubelet.drop-in-permissions': (params) => ({
    expected:
      `the kubelet drop-in directory (--config-dir, k3s: agent/etc/kubelet.conf.d) has mode ${octal(modeParam(params, 'dirMode'))} or more restrictive, ` +
      `its files ${octal(modeParam(params, 'fileMode'))} or more restrictive, all owned by root:root`,
    remediation: `Run \`chmod ${octal(modeParam(params, 'dirMode'))}\` on /var/lib/rancher/k3s/agent/etc/kubelet.conf.d, \`chmod ${octal(modeParam(params, 'fileMode'))}\` on the files in it and \`chown -R root:root\` on both.`,
  }),

  // 4.2 kubelet
  'kubelet.anonymous-auth': kubeletArg('anonymous authentication to the kubelet is disabled (--anonymous-auth=false / authentication.anonymous.enabled: false)', 'k3s disables it; remove any `anonymous-auth=true`'),
  'kubelet.authorization-mode': kubeletArg('the kubelet authorization mode is not AlwaysAllow', 'k3s uses Webhook; remove any `authorization-mode=AlwaysAllow`'),
  'kubelet.client-ca-file': kubeletArg('the kubelet has a client CA file (--client-ca-file / authentication.x509.clientCAFile)', 'k3s sets agent/client-ca.crt; remove any empty override of `client-ca-file`'),
  'kubelet.read-only-port': kubeletArg('the kubelet read-only port is 0 (disabled)', 'k3s sets it to 0; remove any `read-only-port=<port>`'),
  'kubelet.streaming-connection-idle-timeout': kubeletArg(
    'the kubelet streaming connection idle timeout is not 0',
    'Add `streaming-connection-idle-timeout=5m` (or another non-zero duration)',
  ),
  'kubelet.make-iptables-util-chains': kubeletArg('make-iptables-util-chains is true (or not set)', 'Remove any `make-iptables-util-chains=false`'),
  'kubelet.event-qps': kubeletArg('eventRecordQPS is 0 or more (or not set)', 'Set `event-qps=<n>` to a level that captures the events you need (k3s sets 0: no limit)'),
  'kubelet.tls-cert-file': kubeletArg(
    'the kubelet has a serving certificate and key (--tls-cert-file and --tls-private-key-file / tlsCertFile and tlsPrivateKeyFile)',
    'k3s sets agent/serving-kubelet.{crt,key}; remove any override of `tls-cert-file`/`tls-private-key-file`',
  ),
  'kubelet.rotate-certificates': kubeletArg('--rotate-certificates is not set to false', 'Remove `rotate-certificates=false`'),
  'kubelet.rotate-server-certificates': kubeletArg(
    'the RotateKubeletServerCertificate feature gate is not disabled',
    'Remove `RotateKubeletServerCertificate=false` from `feature-gates=...`',
  ),
  'kubelet.tls-cipher-suites': (params) =>
    kubeletArg(
      `the kubelet TLS cipher suites are only: ${listParam(params, 'allowed').join(', ')}`,
      `Add \`tls-cipher-suites=${listParam(params, 'allowed').join(',')}\` (or a subset)`,
    )(params),
  'kubelet.pod-max-pids': kubeletArg('a positive limit on process IDs per pod (--pod-max-pids / podPidsLimit)', 'Add `pod-max-pids=<n>` with a limit suited to your workloads'),
  'kubelet.seccomp-default': kubeletArg('--seccomp-default=true (seccompDefault: true)', 'Add `seccomp-default=true`; test workloads first: it applies RuntimeDefault to pods without a seccomp profile'),

  // 4.3 kube-proxy
  'kube-proxy.metrics-bind-address': () => ({
    expected: 'kube-proxy serves metrics on localhost only (--metrics-bind-address 127.0.0.1:10249, the default)',
    remediation: `Remove any \`metrics-bind-address=<non-local address>\` from the \`kube-proxy-arg\` list of ${config}, ${restartNode}.`,
  }),

  // host group
  'host.kernel.vm.panic_on_oom': kernelParameter('vm.panic_on_oom', '0'),
  'host.kernel.vm.overcommit_memory': kernelParameter('vm.overcommit_memory', '1'),
  'host.kernel.kernel.panic': kernelParameter('kernel.panic', '10'),
  'host.kernel.kernel.panic_on_oops': kernelParameter('kernel.panic_on_oops', '1'),
  'host.kernel.kernel.keys.root_maxkeys': kernelParameter('kernel.keys.root_maxkeys', '1000000'),
  'host.kernel.kernel.keys.root_maxbytes': kernelParameter('kernel.keys.root_maxbytes', '25000000'),
  'host.kubelet.protect_kernel_defaults': () => ({
    expected: 'the kubelet runs with protect-kernel-defaults (protectKernelDefaults: true)',
    remediation:
      `Set the kernel parameters first (/etc/sysctl.d/90-kubelet.conf), then add \`protect-kernel-defaults: true\` to ${config} on every node, ${restartNode}.`,
  }),

  // 5 policies: judged with --cluster by the cluster audit's controls (cis/policies)
  'policy.cluster-admin-usage': policy('only the bindings k3s needs use cluster-admin', 'Bind users and service accounts to narrower roles and delete the ClusterRoleBindings to cluster-admin they no longer need (`kubectl delete clusterrolebinding NAME`).'),
  'policy.secrets-access': policy('system:authenticated and other broad subjects cannot get, list or watch Secrets', 'Remove get, list and watch on secrets from roles that do not need them, above all from roles bound to broad groups.'),
  'policy.rbac-wildcards': policy('Roles and ClusterRoles avoid "*" in verbs, API groups and resources', 'Replace wildcards with the verbs, API groups and resources actually needed.'),
  'policy.pod-create-access': policy('system:authenticated and other broad subjects cannot create pods', 'Remove create on pods from roles that do not need it, above all from roles bound to broad groups.'),
  'policy.default-service-accounts': policy('default service accounts do not mount API tokens and are not bound to roles', "Give workloads their own ServiceAccounts and set `automountServiceAccountToken: false` on each namespace's default one."),
  'policy.service-account-token-mounts': policy('pods mount service account tokens only when they call the API', 'Set `automountServiceAccountToken: false` on the ServiceAccounts and pod specs that do not call the API (the pod spec wins when both set it).'),
  'policy.system-masters-group': policy('no user credentials carry the system:masters group', 'Issue user credentials in ordinary groups bound with RBAC; keep system:masters (the k3s admin kubeconfig) for break-glass use.'),
  'policy.bind-impersonate-escalate': policy('bind, impersonate and escalate are granted only where required', 'Remove the bind, impersonate and escalate verbs from subjects that do not need them.'),
  'policy.persistent-volume-create': policy('creating PersistentVolumes is limited to administrators', 'Remove create on persistentvolumes from subjects that do not need it.'),
  'policy.node-proxy-access': policy('access to nodes/proxy is limited', 'Remove access to the nodes/proxy subresource from subjects that do not need the kubelet API.'),
  'policy.csr-approval-access': policy('access to certificatesigningrequests/approval is limited', 'Remove update on certificatesigningrequests/approval (and approve on signers) from subjects that do not need it.'),
  'policy.webhook-config-access': policy('write access to admission webhook configurations is limited', 'Remove create, update, patch and delete on validating and mutating webhook configurations from subjects that do not need them.'),
  'policy.service-account-token-create': policy('creating service account tokens is limited', 'Remove create on serviceaccounts/token from subjects that do not need it.'),
  'policy.kubelet-api-fine-grained': policy('subjects use fine-grained kubelet subresources instead of nodes/proxy', 'Grant nodes/healthz, nodes/pods, nodes/configz, nodes/metrics, nodes/stats or nodes/log instead of nodes/proxy where they suffice.'),
  'policy.policy-control-mechanism': policy('every namespace with workloads is covered by Pod Security admission or another policy engine', 'Enforce Pod Security Standards (namespace labels, or defaults in the admission configuration), or run a policy engine.'),
  'policy.privileged-containers': policy('no privileged containers outside exempted namespaces', 'Enforce the baseline (or restricted) Pod Security Standard; remove `privileged: true` where it is not needed.'),
  'policy.host-pid': policy('no pods share the host PID namespace', 'Enforce the baseline Pod Security Standard; remove `hostPID: true` where it is not needed.'),
  'policy.host-ipc': policy('no pods share the host IPC namespace', 'Enforce the baseline Pod Security Standard; remove `hostIPC: true` where it is not needed.'),
  'policy.host-network': policy('no pods share the host network namespace', 'Enforce the baseline Pod Security Standard; remove `hostNetwork: true` where it is not needed.'),
  'policy.allow-privilege-escalation': policy('containers set allowPrivilegeEscalation: false', 'Enforce the restricted Pod Security Standard where possible; set `allowPrivilegeEscalation: false` in container security contexts.'),
  'policy.root-containers': policy('containers run as non-root', 'Enforce the restricted Pod Security Standard where possible; set `runAsNonRoot: true`.'),
  'policy.net-raw-capability': policy('containers drop NET_RAW', 'Drop NET_RAW (or ALL) in container security contexts; the restricted Pod Security Standard requires dropping ALL.'),
  'policy.added-capabilities': policy('containers add no capabilities beyond what k3s components need', 'Add only the capabilities a container needs; the baseline Pod Security Standard limits them.'),
  'policy.capabilities-assigned': policy('containers drop all capabilities they do not need', 'Drop ALL capabilities and add back only those a container needs.'),
  'policy.windows-host-process': policy('no Windows HostProcess containers', 'Enforce the baseline Pod Security Standard, which forbids them.'),
  'policy.host-path-volumes': policy('no hostPath volumes outside exempted namespaces', 'Enforce the baseline Pod Security Standard; use PersistentVolumeClaims instead of hostPath.'),
  'policy.host-ports': policy('no hostPorts outside exempted namespaces', 'Enforce the baseline Pod Security Standard; expose workloads through Services.'),
  'policy.unmasked-proc-mount': policy('no containers use procMount: Unmasked', 'Enforce the baseline Pod Security Standard, which forbids it.'),
  'policy.cni-network-policy-support': policy('the CNI enforces NetworkPolicies', "Keep k3s's embedded network policy controller (do not set --disable-network-policy) or use a CNI that enforces NetworkPolicies."),
  'policy.namespaces-network-policies': policy('every namespace has NetworkPolicies', 'Create NetworkPolicies in every namespace (the k3s hardening guide starts with an intra-namespace policy and a DNS policy per namespace).'),
  'policy.secrets-as-files': policy('workloads read Secrets from mounted files, not environment variables', 'Mount Secrets as volumes instead of env valueFrom.secretKeyRef or envFrom.secretRef where the application allows it.'),
  'policy.external-secret-storage': policy('an external secret store is considered', 'Evaluate an external secrets manager for sensitive data; at least enable k3s secrets-encryption.'),
  'policy.image-provenance': policy('image provenance is verified at admission', 'Verify images at admission (ImagePolicyWebhook or a signature-verifying webhook).'),
  'policy.namespace-boundaries': policy('workloads are separated by namespaces', 'Create namespaces for applications and teams and put their objects in them.'),
  'policy.seccomp-profile': policy('pods use the RuntimeDefault seccomp profile', 'Set `securityContext.seccompProfile.type: RuntimeDefault` in pod specs, or `kubelet-arg: seccomp-default=true` on every node.'),
  'policy.security-context': policy('pods and containers set a security context', 'Set pod and container security contexts (non-root user, no privilege escalation, dropped capabilities, seccomp).'),
  'policy.default-namespace-unused': policy('the default namespace holds no workloads', 'Create namespaces for your objects and move them out of default.'),
};

export function controlTexts(implementation: string, params: Params): ControlTexts {
  const factory = factories[implementation];
  if (factory === undefined) throw new Error(`no texts for implementation ${implementation}`);
  return factory(params);
}

export function hasTexts(implementation: string): boolean {
  return factories[implementation] !== undefined;
}
