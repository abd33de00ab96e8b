import type { Control } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { apiserverControls } from './apiserver.ts';
import { cniFileControls } from './cni-files.ts';
import { controllerManagerControls } from './controller-manager.ts';
import { credentialFileControls } from './credential-files.ts';
import { encryptionProvidersControl } from './encryption-providers.ts';
import { etcdControls } from './etcd.ts';
import { etcdDataDirControl } from './etcd-data-dir.ts';
import { hostControls } from './host-kernel.ts';
import { kubeProxyMetricsControl } from './kube-proxy.ts';
import { kubeletControls } from './kubelet.ts';
import { kubeletConfigFileControls } from './kubelet-config-files.ts';
import { manualReviewControl } from './manual-review.ts';
import { notApplicableControl } from './not-applicable.ts';
import { pkiControls } from './pki-files.ts';
import { schedulerControls } from './scheduler.ts';

/** Every node control implementation (sections 1-4 and the host group), by the id catalogs refer to. */
export const nodeControls: readonly Control<NodeAuditInput>[] = [
  notApplicableControl,
  manualReviewControl,
  ...cniFileControls,
  etcdDataDirControl,
  ...credentialFileControls,
  ...pkiControls,
  ...apiserverControls,
  encryptionProvidersControl,
  ...controllerManagerControls,
  ...schedulerControls,
  ...etcdControls,
  ...kubeletConfigFileControls,
  ...kubeletControls,
  kubeProxyMetricsControl,
  ...hostControls,
];
