import type { CheckDefinition } from './check.ts';
import { procMountV1Dot0 } from './check-proc-mount.ts';

/** Restricted keeps the unconditional rule when baseline relaxes it for user-namespaced pods (v1.35). */
export const procMountRestrictedCheck: CheckDefinition = {
  id: 'procMount_restricted',
  level: 'restricted',
  title: '/proc Mount Type',
  versions: [{ minimumVersion: 35, checkPod: procMountV1Dot0, overrides: ['procMount'] }],
};
