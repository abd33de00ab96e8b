import { type Evidence, fail, pass, unknown, type Verdict } from '../../core/finding.ts';
import type { Component } from '../../facts/node-facts.ts';
import type { ArgValue, ComponentArgs } from '../../k3s/effective-args.ts';
import { type BenchmarkContext, type Control, defineControl } from '../control.ts';
import { absentArgEvidence, argEvidence } from '../evidence.ts';
import type { NodeAuditInput } from '../node-input.ts';
import { listParam, numberParam } from './params.ts';

/**
 * One table-driven way to judge a component flag, for the API server, controller manager and scheduler
 * controls. What "absent" means is part of each rule, because it depends on the component's own default
 * (the API server without --authorization-mode is AlwaysAllow; without --profiling it profiles).
 */
export type FlagRule =
  /** The flag equals `value`; absent passes only when the component's default is `value`. */
  | { kind: 'equals'; flag: string; value: string; absent: 'pass' | 'fail' }
  | { kind: 'not-equals'; flag: string; value: string; absent: 'pass' | 'fail' }
  /** Every flag is set to a non-empty value. */
  | { kind: 'present'; flags: readonly string[] }
  | { kind: 'absent'; flag: string }
  /** A comma-separated list flag contains `item`. */
  | { kind: 'list-has'; flag: string; item: string }
  | { kind: 'list-lacks'; flag: string; item: string }
  /** A numeric flag is at least the entry's `minimum` parameter. */
  | { kind: 'at-least'; flag: string }
  /** Every element of a list flag is in the entry's `allowed` parameter; absent fails. */
  | { kind: 'only-allowed'; flag: string }
  /** A feature gate in --feature-gates is not set to false. */
  | { kind: 'gate-not-false'; gate: string }
  /** A bind address is loopback, or absent when the default is loopback. */
  | { kind: 'loopback'; flag: string; absent: 'pass' | 'fail' };

/** Flags that pflag accumulates when repeated (string slices) rather than replacing. */
const listFlags = new Set(['enable-admission-plugins', 'disable-admission-plugins', 'authorization-mode', 'tls-cipher-suites', 'feature-gates']);

export interface FlagControlOptions {
  /** A reason the control does not apply to this node (for example no embedded etcd), or null. */
  notApplicable?: (input: NodeAuditInput) => Verdict | null;
}

export function flagControl(id: string, component: Component, rule: FlagRule, options: FlagControlOptions = {}): Control<NodeAuditInput> {
  const flags = rule.kind === 'present' ? rule.flags : rule.kind === 'gate-not-false' ? ['feature-gates'] : [rule.flag];
  return defineControl<NodeAuditInput>({
    id,
    reads: flags.map((flag) => `${component} --${flag}`),
    check: (input, benchmark) => {
      const skip = options.notApplicable?.(input) ?? null;
      if (skip !== null) return skip;
      const args = input.args.components[component];
      if (!args.known) return unknownArgs(args.reason, component, input.args.state);
      return judge(args, rule, benchmark);
    },
  });
}

export function unknownArgs(reason: string, component: Component, state: 'running' | 'configured'): Verdict {
  const todo =
    state === 'running'
      ? `kharden reads the "Running ${component}" line k3s logs at start: run it as root on the node (journald or /var/log/k3s.log readable), or judge the configuration with --configured`
      : 'fix the k3s configuration so that kharden can compute the arguments (see the notices)';
  return unknown(`the ${component} arguments are not known: ${reason}. To audit this control, ${todo}.`, [
    { subject: `${component} arguments`, value: null, source: { kind: 'kharden', detail: reason } },
  ]);
}

function occurrences(args: ComponentArgs & { known: true }, flag: string): readonly ArgValue[] {
  return args.values.filter((value) => value.flag === flag);
}

/** The effective value of a scalar flag (the last occurrence), or of a list flag (every occurrence, joined). */
function effective(args: ComponentArgs & { known: true }, flag: string): { value: string; evidence: Evidence[] } | null {
  const found = occurrences(args, flag);
  const last = found[found.length - 1];
  if (last === undefined) return null;
  if (listFlags.has(flag)) {
    return { value: found.map((value) => value.value).join(','), evidence: found.map((value) => argEvidence(args.component, value)) };
  }
  return { value: last.value, evidence: [argEvidence(args.component, last)] };
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function judge(args: ComponentArgs & { known: true }, rule: FlagRule, benchmark: BenchmarkContext): Verdict {
  const name = args.component;
  switch (rule.kind) {
    case 'equals':
    case 'not-equals': {
      const found = effective(args, rule.flag);
      if (found === null) {
        const evidence = [absentArgEvidence(args, rule.flag)];
        const because = rule.kind === 'equals' ? `its default is not ${rule.value}` : `its default is ${rule.value}`;
        return rule.absent === 'pass'
          ? pass(`${name} --${rule.flag} is not set; the default is acceptable`, evidence)
          : fail(`${name} --${rule.flag} is not set and ${because}`, evidence);
      }
      const matches = found.value === rule.value;
      const ok = rule.kind === 'equals' ? matches : !matches;
      return ok ? pass(`${name} --${rule.flag}=${found.value}`, found.evidence) : fail(`${name} --${rule.flag} is ${found.value}`, found.evidence);
    }
    case 'present': {
      const evidence: Evidence[] = [];
      const missing: string[] = [];
      for (const flag of rule.flags) {
        const found = effective(args, flag);
        if (found === null || found.value === '') {
          missing.push(`--${flag}`);
          evidence.push(found === null ? absentArgEvidence(args, flag) : found.evidence[0] ?? absentArgEvidence(args, flag));
        } else {
          evidence.push(...found.evidence);
        }
      }
      if (missing.length === 0) return pass(`${name} sets ${rule.flags.map((flag) => `--${flag}`).join(' and ')}`, evidence);
      return fail(`${name} does not set ${missing.join(' and ')}`, evidence);
    }
    case 'absent': {
      const found = effective(args, rule.flag);
      if (found === null) return pass(`${name} --${rule.flag} is not set`, [absentArgEvidence(args, rule.flag)]);
      return fail(`${name} --${rule.flag} is set to ${found.value}`, found.evidence);
    }
    case 'list-has':
    case 'list-lacks': {
      const found = effective(args, rule.flag);
      if (found === null) {
        const evidence = [absentArgEvidence(args, rule.flag)];
        return rule.kind === 'list-has'
          ? fail(`${name} --${rule.flag} is not set, so ${rule.item} is not in it`, evidence)
          : pass(`${name} --${rule.flag} is not set, so ${rule.item} is not in it`, evidence);
      }
      const contains = splitList(found.value).includes(rule.item);
      if (rule.kind === 'list-has') {
        return contains ? pass(`${name} --${rule.flag} includes ${rule.item}`, found.evidence) : fail(`${name} --${rule.flag}=${found.value} does not include ${rule.item}`, found.evidence);
      }
      return contains ? fail(`${name} --${rule.flag}=${found.value} includes ${rule.item}`, found.evidence) : pass(`${name} --${rule.flag} does not include ${rule.item}`, found.evidence);
    }
    case 'at-least': {
      const minimum = numberParam(benchmark, 'minimum');
      const found = effective(args, rule.flag);
      if (found === null) return fail(`${name} --${rule.flag} is not set (needs ${minimum} or more)`, [absentArgEvidence(args, rule.flag)]);
      const number = Number(found.value);
      if (!Number.isFinite(number)) return fail(`${name} --${rule.flag}=${found.value} is not a number`, found.evidence);
      return number >= minimum ? pass(`${name} --${rule.flag}=${found.value}`, found.evidence) : fail(`${name} --${rule.flag}=${found.value} is below ${minimum}`, found.evidence);
    }
    case 'only-allowed': {
      const allowed = listParam(benchmark, 'allowed');
      const found = effective(args, rule.flag);
      if (found === null) return fail(`${name} --${rule.flag} is not set, so the component's built-in list applies`, [absentArgEvidence(args, rule.flag)]);
      const items = splitList(found.value);
      if (items.length === 0) return fail(`${name} --${rule.flag} is empty`, found.evidence);
      const extra = items.filter((item) => !allowed.includes(item));
      return extra.length === 0 ? pass(`${name} --${rule.flag} lists only allowed values`, found.evidence) : fail(`${name} --${rule.flag} includes ${extra.join(', ')}, not allowed by ${benchmark.id}`, found.evidence);
    }
    case 'gate-not-false': {
      const found = effective(args, 'feature-gates');
      if (found === null) return pass(`${name} --feature-gates is not set, so ${rule.gate} keeps its default (enabled)`, [absentArgEvidence(args, 'feature-gates')]);
      const setting = splitList(found.value)
        .map((item) => item.split('='))
        .filter(([gate]) => gate?.trim() === rule.gate)
        .pop();
      if (setting !== undefined && setting[1]?.trim().toLowerCase() === 'false') return fail(`${name} disables ${rule.gate} in --feature-gates`, found.evidence);
      return pass(`${name} --feature-gates does not disable ${rule.gate}`, found.evidence);
    }
    case 'loopback': {
      const found = effective(args, rule.flag);
      if (found === null) {
        const evidence = [absentArgEvidence(args, rule.flag)];
        return rule.absent === 'pass' ? pass(`${name} --${rule.flag} is not set; the default is 127.0.0.1`, evidence) : fail(`${name} --${rule.flag} is not set`, evidence);
      }
      return isLoopback(found.value) ? pass(`${name} --${rule.flag}=${found.value}`, found.evidence) : fail(`${name} --${rule.flag}=${found.value} is not a loopback address`, found.evidence);
    }
  }
}

/** `127.0.0.1`, `127.0.0.1:10249`, `localhost:10249`, `::1`, `[::1]:10249`. */
export function isLoopback(address: string): boolean {
  const host = address.startsWith('[') ? address.slice(1, address.indexOf(']')) : address.includes('.') || address === 'localhost' || address.startsWith('localhost:') ? address.split(':')[0] ?? '' : address;
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
