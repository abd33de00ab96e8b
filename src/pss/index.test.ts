import { describe, expect, it } from 'vitest';
import { evaluatePod, evaluateWorkload, parsePod } from './index.ts';
import { podOf } from './pod.fixture.ts';

describe('evaluatePod', () => {
  it('words the message as the API server does (pss.md a.3 kubectl example)', () => {
    const verdict = evaluatePod(podOf({ containers: [{ name: 'app' }] }), 'restricted');
    expect(verdict).toMatchObject({ allowed: false, level: 'restricted', version: 'latest', evaluatedVersion: 'v1.37' });
    expect(verdict.checks.map((check) => check.id)).toEqual(['allowPrivilegeEscalation', 'capabilities_restricted', 'runAsNonRoot', 'seccompProfile_restricted']);
    expect(verdict.message).toBe(
      'violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false (container "app" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities (container "app" must set securityContext.capabilities.drop=["ALL"]), runAsNonRoot != true (pod or container "app" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "app" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost")',
    );
  });

  it('orders every baseline violation as upstream (seLinuxOptions before seccompProfile)', () => {
    const pod = podOf(
      {
        hostNetwork: true,
        hostPID: true,
        securityContext: { seccompProfile: { type: 'Unconfined' }, seLinuxOptions: { type: 'spc_t' }, sysctls: [{ name: 'kernel.msgmax' }] },
        volumes: [{ name: 'root', hostPath: { path: '/' } }],
        containers: [
          {
            name: 'agent',
            ports: [{ containerPort: 9100 }],
            livenessProbe: { httpGet: { host: '10.0.0.1' } },
            securityContext: { privileged: true, procMount: 'Unmasked', capabilities: { add: ['SYS_ADMIN'] }, windowsOptions: { hostProcess: true } },
          },
        ],
      },
      { 'container.apparmor.security.beta.kubernetes.io/agent': 'unconfined' },
    );
    const verdict = evaluatePod(pod, 'baseline', 37);
    expect(verdict.message).toBe(
      'violates PodSecurity "baseline:v1.37": ' +
        // The API server copies the annotation into the container's field (AppArmor version skew), so both are named.
        'forbidden AppArmor profiles (container "agent" and annotation must not set AppArmor profile type to "Unconfined", "container.apparmor.security.beta.kubernetes.io/agent="unconfined""), ' +
        'non-default capabilities (container "agent" must not include "SYS_ADMIN" in securityContext.capabilities.add), ' +
        'host namespaces (hostNetwork=true, hostPID=true), ' +
        'hostPath volumes (volume "root"), ' +
        'hostPort (container "agent" uses hostPort 9100), ' +
        'probe or lifecycle host (container "agent" uses probe or lifecycle host "10.0.0.1"), ' +
        'privileged (container "agent" must not set securityContext.privileged=true), ' +
        'procMount (container "agent" must not set securityContext.procMount to "Unmasked"), ' +
        'seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type "spc_t"), ' +
        'seccompProfile (pod must not set securityContext.seccompProfile.type to "Unconfined"), ' +
        'forbidden sysctls (kernel.msgmax), ' +
        'hostProcess (container "agent" must not set securityContext.windowsOptions.hostProcess=true)',
    );
  });

  it('allows everything at privileged and clamps future versions', () => {
    expect(evaluatePod(podOf({ hostPID: true }), 'privileged')).toMatchObject({ allowed: true, message: null });
    expect(evaluatePod(podOf({ containers: [] }), 'baseline', 99)).toMatchObject({ version: 'v1.99', evaluatedVersion: 'v1.37' });
    expect(evaluatePod(podOf({ containers: [] }), 'baseline', 'latest', { latestVersion: 35 })).toMatchObject({ evaluatedVersion: 'v1.35' });
  });

  it('applies volume defaulting: a volume without source is an emptyDir', () => {
    const pod = podOf({
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{ name: 'a', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
      volumes: [{ name: 'scratch' }],
    });
    expect(evaluatePod(pod, 'restricted').allowed).toBe(true);
  });
});

describe('evaluateWorkload', () => {
  const privilegedTemplate = { spec: { containers: [{ name: 'c', image: 'x', securityContext: { privileged: true } }] } };
  it.each([
    ['v1', 'Pod', { spec: privilegedTemplate.spec }],
    ['v1', 'PodTemplate', { template: privilegedTemplate }],
    ['v1', 'ReplicationController', { spec: { template: privilegedTemplate } }],
    ['apps/v1', 'ReplicaSet', { spec: { template: privilegedTemplate } }],
    ['apps/v1', 'Deployment', { spec: { template: privilegedTemplate } }],
    ['apps/v1', 'DaemonSet', { spec: { template: privilegedTemplate } }],
    ['apps/v1', 'StatefulSet', { spec: { template: privilegedTemplate } }],
    ['batch/v1', 'Job', { spec: { template: privilegedTemplate } }],
    ['batch/v1', 'CronJob', { spec: { jobTemplate: { spec: { template: privilegedTemplate } } } }],
  ])('finds the pod template of %s %s', (apiVersion, kind, body) => {
    const verdict = evaluateWorkload({ apiVersion, kind, metadata: { name: 'x' }, ...body }, 'baseline');
    expect(verdict).toMatchObject({ kind: 'evaluated', podKind: kind, verdict: { allowed: false, checks: [{ id: 'privileged' }] } });
  });

  it.each([
    ['v1', 'Service'],
    ['example.com/v1', 'Deployment'],
    ['argoproj.io/v1alpha1', 'Rollout'],
  ])('does not cover %s %s', (apiVersion, kind) => {
    expect(evaluateWorkload({ apiVersion, kind, metadata: {}, spec: { template: privilegedTemplate } }, 'restricted').kind).toBe('not-covered');
  });

  it('reports a malformed pod spec with its path', () => {
    const verdict = evaluateWorkload({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { template: { spec: { containers: [{ name: 'a', ports: [{ hostPort: '80' }] }] } } } }, 'baseline');
    expect(verdict).toEqual({ kind: 'malformed', message: 'malformed pod spec: spec.template.spec.containers[0].ports[0].hostPort: Invalid input: expected number, received string' });
  });

  it('skips an RC without template as admission does', () => {
    expect(evaluateWorkload({ apiVersion: 'v1', kind: 'ReplicationController', metadata: {}, spec: {} }, 'restricted').kind).toBe('not-covered');
  });
});

describe('parsePod', () => {
  it('validates only the fields Pod Security reads', () => {
    expect(parsePod({ metadata: { name: 'x', labels: { a: 'b' } }, spec: { containers: [{ name: 'a', image: 'nginx', resources: { limits: { cpu: 1 } } }] } }).ok).toBe(true);
    expect(parsePod({ spec: { hostNetwork: 'yes' } })).toEqual({ ok: false, message: 'spec.hostNetwork: Invalid input: expected boolean, received string' });
  });
});
