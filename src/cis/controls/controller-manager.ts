import type { Control } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { type FlagRule, flagControl } from './component-flags.ts';

/** CIS 1.3.x: kube-controller-manager flags. k3s binds it to 127.0.0.1 and turns profiling off. */
const rules: ReadonlyArray<readonly [id: string, rule: FlagRule]> = [
  ['controller-manager.terminated-pod-gc-threshold', { kind: 'present', flags: ['terminated-pod-gc-threshold'] }],
  ['controller-manager.profiling', { kind: 'equals', flag: 'profiling', value: 'false', absent: 'fail' }],
  // The controller manager's own default is false, so an absent flag fails.
  ['controller-manager.use-service-account-credentials', { kind: 'equals', flag: 'use-service-account-credentials', value: 'true', absent: 'fail' }],
  ['controller-manager.service-account-private-key-file', { kind: 'present', flags: ['service-account-private-key-file'] }],
  ['controller-manager.root-ca-file', { kind: 'present', flags: ['root-ca-file'] }],
  ['controller-manager.rotate-kubelet-server-certificate', { kind: 'gate-not-false', gate: 'RotateKubeletServerCertificate' }],
  // Upstream's default bind address is 0.0.0.0; an absent flag is therefore not loopback.
  ['controller-manager.bind-address', { kind: 'loopback', flag: 'bind-address', absent: 'fail' }],
];

export const controllerManagerControls: readonly Control<NodeAuditInput>[] = rules.map(([id, rule]) => flagControl(id, 'kube-controller-manager', rule));
