import { describe, expect, it } from 'vitest';
import { addedCapabilities } from './added-capabilities.ts';
import { allowPrivilegeEscalation } from './allow-privilege-escalation.ts';
import { assignedCapabilities } from './capabilities-assigned.ts';
import { hostIpc } from './host-ipc.ts';
import { hostNetwork } from './host-network.ts';
import { hostPathVolumes } from './host-path-volumes.ts';
import { hostPid } from './host-pid.ts';
import { hostPorts } from './host-ports.ts';
import { netRawCapability } from './net-raw-capability.ts';
import { privilegedContainers } from './privileged-containers.ts';
import { rootContainers } from './root-containers.ts';
import { secretsAsEnv } from './secrets-as-files.ts';
import { securityContext } from './security-context.ts';
import { benchmark, deployment, ownedPod, pod, podSpec, testCluster } from './test-cluster.fixture.ts';
import { unmaskedProcMount } from './unmasked-proc-mount.ts';
import { windowsHostProcess } from './windows-host-process.ts';

const restricted = {
  securityContext: { allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] }, seccompProfile: { type: 'RuntimeDefault' } },
};

// Each pod-spec control: a clean pod, an offending pod, and the evidence line for the offence.
describe.each([
  ['5.2.2', privilegedContainers, podSpec({}, { securityContext: { privileged: true } }), 'Pod shop/p: Pod Security baseline "privileged"', 'container "app" must not set securityContext.privileged=true'],
  ['5.2.3', hostPid, podSpec({ hostPID: true }, restricted), 'Pod shop/p: spec.hostPID', 'true'],
  ['5.2.4', hostIpc, podSpec({ hostIPC: true }, restricted), 'Pod shop/p: spec.hostIPC', 'true'],
  ['5.2.5', hostNetwork, podSpec({ hostNetwork: true }, restricted), 'Pod shop/p: spec.hostNetwork', 'true'],
  ['5.2.6', allowPrivilegeEscalation, podSpec({}, { securityContext: { allowPrivilegeEscalation: true } }), 'Pod shop/p: container "app" securityContext.allowPrivilegeEscalation', 'true'],
  ['5.2.7', rootContainers, podSpec({}, { securityContext: { runAsUser: 0 } }), 'Pod shop/p: container "app" runAsUser', '0'],
  ['5.2.8', netRawCapability, podSpec({}, { securityContext: { capabilities: { drop: ['ALL'], add: ['NET_RAW'] } } }), 'Pod shop/p: container "app" capabilities', 'adds NET_RAW'],
  ['1.9 5.2.9', addedCapabilities, podSpec({}, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } }), 'Pod shop/p: container "app" capabilities.add', 'SYS_ADMIN'],
  ['5.2.9', assignedCapabilities, podSpec({}, { securityContext: { capabilities: { drop: ['NET_RAW'] } } }), 'Pod shop/p: Pod Security restricted "unrestricted capabilities"', 'container "app" must set securityContext.capabilities.drop=["ALL"]'],
  ['5.2.10', windowsHostProcess, podSpec({ securityContext: { windowsOptions: { hostProcess: true } } }), 'Pod shop/p: Pod Security baseline "hostProcess"', 'pod must not set securityContext.windowsOptions.hostProcess=true'],
  ['5.2.11', hostPathVolumes, podSpec({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }), 'Pod shop/p: Pod Security baseline "hostPath volumes"', 'volume "root"'],
  ['5.2.12', hostPorts, podSpec({}, { ports: [{ containerPort: 80, hostPort: 8080 }] }), 'Pod shop/p: Pod Security baseline "hostPort"', 'container "app" uses hostPort 8080'],
  ['5.2.13', unmaskedProcMount, podSpec({}, { securityContext: { procMount: 'Unmasked' } }), 'Pod shop/p: container "app" securityContext.procMount', 'Unmasked'],
  ['5.4.1', secretsAsEnv, podSpec({}, { env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] }), 'Pod shop/p: container "app" env PW', 'secret db key pw'],
  ['5.6.3', securityContext, podSpec(), 'Pod shop/p: container "app" securityContext', 'none (and none at pod level)'],
] as const)('%s', (_id, control, offending, subject, value) => {
  it('finds the offence and names the pod and field', () => {
    const verdict = control.check(testCluster([pod('shop', 'p', offending)]), benchmark('automated'));
    expect(verdict.status).toBe('FAIL');
    expect(verdict.evidence[0]).toEqual({ subject, value, source: { kind: 'api-object', detail: 'Pod shop/p' } });
  });

  it('passes a pod hardened the restricted way', () => {
    const verdict = control.check(testCluster([pod('shop', 'ok', podSpec({}, restricted))]), benchmark('automated'));
    expect(verdict.status).toBe('PASS');
  });

  it('is N/A with no pods or workloads, and UNKNOWN naming the permission when pods cannot be listed', () => {
    expect(control.check(testCluster([]), benchmark('automated')).status).toBe('N/A');
    const verdict = control.check(testCluster([deployment('shop', 'ok', podSpec({}, restricted))], { forbidden: ['Pod'] }), benchmark('automated'));
    expect(verdict.status).toBe('UNKNOWN');
    expect(verdict.reason).toContain('needs `list pods` cluster-wide');
  });
});

describe('pod-spec evidence for workloads', () => {
  it('names the workload and how many of its pods show the offence', () => {
    const owner = { kind: 'Deployment', name: 'web', uid: 'u1' };
    const verdict = privilegedContainers.check(
      testCluster([
        deployment('shop', 'web', podSpec(), 'u1'),
        ownedPod('shop', 'web-a', owner, podSpec({}, { securityContext: { privileged: true } })),
        ownedPod('shop', 'web-b', owner, podSpec()),
      ]),
      benchmark('manual-audited'),
    );
    expect(verdict.status).toBe('WARN');
    expect(verdict.evidence[0]).toMatchObject({ subject: 'Deployment shop/web (2 pods): Pod Security baseline "privileged" (1 of 2 pods)', value: 'container "app" must not set securityContext.privileged=true' });
  });

  it('points at the file and line of a manifest', () => {
    const verdict = hostPid.check(testCluster([deployment('shop', 'web', podSpec({ hostPID: true }))], { mode: 'manifests' }), benchmark('automated'));
    expect(verdict.evidence[0]?.source).toEqual({ kind: 'api-object', path: 'objects.yaml', line: 1, detail: 'Deployment shop/web' });
    expect(verdict.reason).toContain('(in the objects of the given files)');
  });

  it('counts containers that leave allowPrivilegeEscalation unset in a note', () => {
    const verdict = allowPrivilegeEscalation.check(testCluster([pod('shop', 'p')]), benchmark('manual-audited'));
    expect(verdict.status).toBe('PASS');
    expect(verdict.evidence[1]).toMatchObject({ value: '1' });
  });
});
