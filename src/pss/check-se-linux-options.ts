import { allowed, forbidden, type CheckDefinition, type CheckPod, type CheckResult } from './check.ts';
import { joinQuote, pluralize, sortedSet } from './message-format.ts';
import type { PodLike, PodSecurityContext } from './pod-spec.ts';
import { describeContainers, visitContainers } from './visit-containers.ts';

type SELinuxOptions = NonNullable<PodSecurityContext['seLinuxOptions']>;

const allowedTypesV1Dot0: ReadonlySet<string> = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const allowedTypesV1Dot31: ReadonlySet<string> = new Set([...allowedTypesV1Dot0, 'container_engine_t']);

function seLinuxOptions(allowedTypes: ReadonlySet<string>): CheckPod {
  return ({ spec }: PodLike): CheckResult => {
    const badSetters: string[] = [];
    const badTypes: string[] = [];
    let setUser = false;
    let setRole = false;

    const valid = (options: SELinuxOptions): boolean => {
      let ok = true;
      const type = options.type ?? '';
      if (!allowedTypes.has(type)) {
        ok = false;
        badTypes.push(type);
      }
      if ((options.user ?? '') !== '') {
        ok = false;
        setUser = true;
      }
      if ((options.role ?? '') !== '') {
        ok = false;
        setRole = true;
      }
      return ok;
    };

    const podOptions = spec.securityContext?.seLinuxOptions;
    if (podOptions != null && !valid(podOptions)) badSetters.push('pod');

    const badContainers: string[] = [];
    visitContainers(spec, (container) => {
      const options = container.securityContext?.seLinuxOptions;
      if (options != null && !valid(options)) badContainers.push(container.name);
    });
    if (badContainers.length > 0) badSetters.push(describeContainers(badContainers));

    if (badSetters.length === 0) return allowed;
    const badData: string[] = [];
    const types = sortedSet(badTypes);
    if (types.length > 0) badData.push(`${pluralize('type', 'types', types.length)} ${joinQuote(types)}`);
    if (setUser) badData.push('user may not be set');
    if (setRole) badData.push('role may not be set');
    return forbidden('seLinuxOptions', `${badSetters.join(' and ')} set forbidden securityContext.seLinuxOptions: ${badData.join('; ')}`);
  };
}

export const seLinuxOptionsV1Dot0 = seLinuxOptions(allowedTypesV1Dot0);
/** v1.31 also allows `container_engine_t` (container engines running in containers). */
export const seLinuxOptionsV1Dot31 = seLinuxOptions(allowedTypesV1Dot31);

export const seLinuxOptionsCheck: CheckDefinition = {
  id: 'seLinuxOptions',
  level: 'baseline',
  title: 'SELinux',
  versions: [
    { minimumVersion: 0, checkPod: seLinuxOptionsV1Dot0 },
    { minimumVersion: 31, checkPod: seLinuxOptionsV1Dot31 },
  ],
};
