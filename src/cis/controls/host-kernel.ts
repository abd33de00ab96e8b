import { type Evidence, fail, pass, unknown } from '../../core/finding.ts';
import type { Source } from '../../core/source.ts';
import type { SysctlFacts } from '../../facts/node-facts.ts';
import { procSysPath } from '../../k3s/host-kernel.ts';
import { kernelParameters } from '../benchmarks/host-group.ts';
import { type Control, defineControl } from '../control.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { kubeletSettings, kubeletView, resolveSetting, type ResolvedSetting } from './kubelet-settings.ts';
import { stringParam } from './params.ts';

/**
 * kharden's host group: each kernel parameter the kubelet's protect-kernel-defaults compares, judged twice:
 * the running value (/proc/sys; under --root, ROOT/proc when a DaemonSet mounts the host's /proc there) and the
 * value the node gets at boot (/etc/sysctl.d and friends, last file wins; the Linux default when none sets it).
 * An offline image has no running kernel: only the boot value is judged, and the verdict says so.
 */
interface Observed {
  value: string;
  source: Source;
}

function sameValue(left: string, right: string): boolean {
  const a = left.trim();
  const b = right.trim();
  return a === b || (/^-?\d+$/.test(a) && /^-?\d+$/.test(b) && Number(a) === Number(b));
}

function normalizeKey(key: string): string {
  return key.trim().replaceAll('/', '.');
}

function bootValue(sysctl: SysctlFacts, parameter: string): Observed | null {
  const entries = sysctl.boot.filter((entry) => normalizeKey(entry.key) === parameter);
  const last = entries[entries.length - 1];
  return last === undefined ? null : { value: last.value, source: last.source };
}

function protectKernelDefaults(input: NodeAuditInput): ResolvedSetting | null {
  const view = kubeletView(input);
  return view.ok ? resolveSetting(view.view, kubeletSettings.protectKernelDefaults) : null;
}

function kernelControl(parameter: string): Control<NodeAuditInput> {
  return defineControl<NodeAuditInput>({
    id: `host.kernel.${parameter}`,
    reads: [procSysPath(parameter), '/etc/sysctl.d/*.conf, /run/sysctl.d, /usr/lib/sysctl.d, /etc/sysctl.conf'],
    check: (input, benchmark) => {
      const expected = stringParam(benchmark, 'expected');
      const kernelDefault = stringParam(benchmark, 'kernelDefault');
      const { sysctl } = input.facts;
      const evidence: Evidence[] = [];

      const protect = protectKernelDefaults(input);
      const protectOn = protect?.value === 'true';
      const protectEvidence = protect === null ? [] : protect.evidence.slice(-1);
      const kubeletNote = protectOn
        ? 'the kubelet runs with protect-kernel-defaults and refuses to start while it differs'
        : 'without protect-kernel-defaults the kubelet changes it itself at start; the hardening guide asks for the sysctl file and protect-kernel-defaults';

      // Boot side: what the node gets after a reboot.
      const boot = bootValue(sysctl, parameter);
      let bootVerdict: { ok: boolean | null; text: string };
      if (boot !== null) {
        evidence.push({ subject: `${parameter} at boot`, value: boot.value, source: boot.source });
        bootVerdict = sameValue(boot.value, expected) ? { ok: true, text: `set to ${boot.value} at boot` } : { ok: false, text: `set to ${boot.value} at boot (needs ${expected})` };
      } else if (sysctl.bootErrors.length > 0) {
        const first = sysctl.bootErrors[0];
        evidence.push({ subject: `${parameter} at boot`, value: null, source: { kind: 'sysctl-file', ...(first === undefined ? {} : { path: first.path }), detail: 'could not be read' } });
        bootVerdict = { ok: null, text: `not set in the sysctl files kharden could read, and ${sysctl.bootErrors.length} could not be read (${first?.path ?? ''}: ${first?.error.message ?? ''})` };
      } else {
        evidence.push({ subject: `${parameter} at boot`, value: kernelDefault, source: { kind: 'kharden', detail: 'no sysctl file sets it: the Linux default applies at boot' } });
        bootVerdict = sameValue(kernelDefault, expected)
          ? { ok: true, text: `not set in sysctl files; the Linux default ${kernelDefault} is right` }
          : { ok: false, text: `not set in /etc/sysctl.d: after a reboot it is the Linux default ${kernelDefault} (needs ${expected})` };
      }

      // Running side.
      if (!sysctl.runtime.available) {
        const why = sysctl.runtime.reason ?? 'no /proc under --root (offline image)';
        evidence.push({ subject: `${parameter} running`, value: null, source: { kind: 'kharden', detail: why } });
        evidence.push(...protectEvidence);
        const prefix = `running value not available (${why}): judged the boot value only; ${parameter} is ${bootVerdict.text}`;
        if (bootVerdict.ok === true) return pass(prefix, evidence);
        if (bootVerdict.ok === false) return fail(`${prefix}; ${kubeletNote}`, evidence);
        return unknown(prefix, evidence);
      }
      const running = sysctl.runtime.values[parameter];
      if (running === undefined || 'error' in running) {
        const message = running === undefined ? 'not collected' : running.error.message;
        evidence.push({ subject: `${parameter} running`, value: null, source: { kind: 'proc-sys', path: procSysPath(parameter), detail: message } });
        evidence.push(...protectEvidence);
        if (bootVerdict.ok === false) return fail(`${parameter} is ${bootVerdict.text}; its running value could not be read (${message})`, evidence);
        return unknown(`the running value of ${parameter} could not be read (${message}); run kharden as root, or mount the host's /proc under --root`, evidence);
      }
      evidence.unshift({ subject: `${parameter} running`, value: running.value, source: running.source });
      evidence.push(...protectEvidence);
      if (!sameValue(running.value, expected)) {
        return fail(`${parameter} is ${running.value} now (needs ${expected}); ${kubeletNote}; at boot it is ${bootVerdict.text}`, evidence);
      }
      if (bootVerdict.ok === true) return pass(`${parameter} is ${running.value} now and ${bootVerdict.text}`, evidence);
      if (bootVerdict.ok === false) return fail(`${parameter} is ${running.value} now but ${bootVerdict.text}; ${kubeletNote}`, evidence);
      return unknown(`${parameter} is ${running.value} now, but its boot value is unknown: ${bootVerdict.text}`, evidence);
    },
  });
}

const protectKernelDefaultsControl = defineControl<NodeAuditInput>({
  id: 'host.kubelet.protect_kernel_defaults',
  reads: ['kubelet --protect-kernel-defaults', 'KubeletConfiguration protectKernelDefaults', 'k3s protect-kernel-defaults'],
  check: (input) => {
    const view = kubeletView(input);
    if (!view.ok) return view.verdict;
    const setting = resolveSetting(view.view, kubeletSettings.protectKernelDefaults);
    return setting.value === 'true'
      ? pass('the kubelet runs with protect-kernel-defaults: it refuses to start when the kernel parameters differ', setting.evidence)
      : fail(`the kubelet runs without protect-kernel-defaults (${setting.origin === 'default' ? 'not set' : `set to ${setting.value ?? ''}`}): it silently changes kernel parameters instead`, setting.evidence);
  },
});

export const hostControls: readonly Control<NodeAuditInput>[] = [...kernelParameters.map((parameter) => kernelControl(parameter.name)), protectKernelDefaultsControl];
