import { describe, expect, it } from 'vitest';
import { effectiveArgs, input, nodeFacts, verdictOf } from '../test-node.fixture.ts';

/** kube-controller-manager and kube-scheduler flags as k3s 1.33 logs them on a default server. */
const controllerManager = [
  '--allocate-node-cidrs=true',
  '--bind-address=127.0.0.1',
  '--kubeconfig=/var/lib/rancher/k3s/server/cred/controller.kubeconfig',
  '--profiling=false',
  '--root-ca-file=/var/lib/rancher/k3s/server/tls/server-ca.crt',
  '--service-account-private-key-file=/var/lib/rancher/k3s/server/tls/service.current.key',
  '--use-service-account-credentials=true',
];
const scheduler = ['--bind-address=127.0.0.1', '--kubeconfig=/var/lib/rancher/k3s/server/cred/scheduler.kubeconfig', '--profiling=false'];

const node = (cm: readonly string[], sched: readonly string[] = scheduler) =>
  input(nodeFacts('server'), effectiveArgs({ 'kube-controller-manager': cm, 'kube-scheduler': sched }));
const without = (flags: readonly string[], flag: string) => flags.filter((token) => !token.startsWith(`--${flag}=`));

describe('controller manager (1.3.x) and scheduler (1.4.x)', () => {
  it.each([
    ['controller-manager.terminated-pod-gc-threshold', controllerManager, 'FAIL'],
    ['controller-manager.terminated-pod-gc-threshold', [...controllerManager, '--terminated-pod-gc-threshold=10'], 'PASS'],
    ['controller-manager.profiling', controllerManager, 'PASS'],
    ['controller-manager.profiling', without(controllerManager, 'profiling'), 'FAIL'],
    ['controller-manager.use-service-account-credentials', controllerManager, 'PASS'],
    ['controller-manager.use-service-account-credentials', without(controllerManager, 'use-service-account-credentials'), 'FAIL'],
    ['controller-manager.service-account-private-key-file', controllerManager, 'PASS'],
    ['controller-manager.root-ca-file', controllerManager, 'PASS'],
    ['controller-manager.root-ca-file', without(controllerManager, 'root-ca-file'), 'FAIL'],
    ['controller-manager.rotate-kubelet-server-certificate', controllerManager, 'PASS'],
    ['controller-manager.rotate-kubelet-server-certificate', [...controllerManager, '--feature-gates=Foo=true,RotateKubeletServerCertificate=false'], 'FAIL'],
    ['controller-manager.rotate-kubelet-server-certificate', [...controllerManager, '--feature-gates=RotateKubeletServerCertificate=true'], 'PASS'],
    ['controller-manager.bind-address', controllerManager, 'PASS'],
    ['controller-manager.bind-address', [...controllerManager, '--bind-address=0.0.0.0'], 'FAIL'],
    // upstream's default is 0.0.0.0: an absent flag is not loopback
    ['controller-manager.bind-address', without(controllerManager, 'bind-address'), 'FAIL'],
  ])('%s with %j → %s', (implementation, flags, status) => {
    expect(verdictOf(implementation, node(flags)).status).toBe(status);
  });

  it.each([
    ['scheduler.profiling', scheduler, 'PASS'],
    ['scheduler.profiling', [...scheduler, '--profiling=true'], 'FAIL'],
    ['scheduler.bind-address', scheduler, 'PASS'],
    ['scheduler.bind-address', [...without(scheduler, 'bind-address'), '--bind-address=10.0.0.5'], 'FAIL'],
  ])('%s with %j → %s', (implementation, flags, status) => {
    expect(verdictOf(implementation, node(controllerManager, flags)).status).toBe(status);
  });
});
