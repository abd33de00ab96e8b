import { fc, test } from '@fast-check/vitest';
import { describe, expect, it } from 'vitest';
import type { Source } from '../core/source.ts';
import { argString, combineArgs } from './component-args.ts';
import type { ArgValue } from './effective-args.ts';

const k3s: Source = { kind: 'k3s-default' };
const user: Source = { kind: 'config-file', path: '/etc/rancher/k3s/config.yaml', line: 3 };
const defaults = (entries: Record<string, string>) => new Map(Object.entries(entries).map(([flag, value]) => [flag, { flag, value, source: k3s } as ArgValue]));

describe('combineArgs (k3s GetArgs)', () => {
  it('replaces, appends with +=, prepends with -=, sorts by flag', () => {
    const args = combineArgs(defaults({ 'enable-admission-plugins': 'NodeRestriction', profiling: 'false', 'bind-address': '127.0.0.1' }), [
      { arg: 'enable-admission-plugins+=PodSecurity', source: user },
      { arg: '--profiling=true', source: user },
      { arg: 'audit-log-path-=/first.log', source: user },
      { arg: 'v=2', source: user },
      { arg: 'v=4', source: user },
      { arg: 'enable-foo', source: user },
    ]);
    expect(argString(args)).toBe(
      '--audit-log-path=/first.log --bind-address=127.0.0.1 --enable-admission-plugins=NodeRestriction --enable-admission-plugins=PodSecurity --enable-foo=true --profiling=true --v=2 --v=4',
    );
    expect(args.find((value) => value.flag === 'bind-address')?.source).toBe(k3s);
    expect(args.filter((value) => value.flag === 'enable-admission-plugins').map((value) => value.source.kind)).toEqual(['k3s-default', 'config-file']);
  });
});

/** Reference model from the k3s source's description (pkg/util/args.go), kept deliberately naive. */
function model(initial: Record<string, string>, extra: readonly string[]): string[] {
  const remaining = { ...initial };
  const multi: Record<string, string[]> = {};
  for (const raw of extra) {
    const [arg = '', ...rest] = raw.replace(/^--/, '').split('=');
    const value = rest.length === 0 ? 'true' : rest.join('=');
    const clean = arg.replace(/[-+]+$/, '');
    const had = clean in remaining ? [remaining[clean] as string] : [];
    const existing = multi[clean] ?? [];
    multi[clean] = arg.endsWith('+') ? [...had, ...existing, value] : arg.endsWith('-') ? [value, ...had, ...existing] : [...existing, value];
    delete remaining[clean];
  }
  for (const [key, value] of Object.entries(remaining)) multi[key] = [value];
  return Object.keys(multi).sort().flatMap((key) => (multi[key] ?? []).map((value) => `--${key}=${value}`));
}

const flag = fc.constantFrom('profiling', 'bind-address', 'enable-admission-plugins', 'audit-log-path', 'v');
const value = fc.stringMatching(/^[A-Za-z0-9.,/]{0,8}$/);
const op = fc.constantFrom('', '+', '-');

describe('combineArgs properties', () => {
  test.prop([fc.dictionary(flag, value), fc.array(fc.tuple(flag, op, value), { maxLength: 8 })])('matches the reference model of GetArgs', (initial, ops) => {
    const extra = ops.map(([name, suffix, v]) => `${name}${suffix}=${v}`);
    const result = combineArgs(defaults(initial), extra.map((arg) => ({ arg, source: user })));
    expect(result.map((arg) => `--${arg.flag}=${arg.value}`)).toEqual(model(initial, extra));
  });

  test.prop([fc.dictionary(flag, value)])('with no extra args the defaults come back sorted, each once', (initial) => {
    const result = combineArgs(defaults(initial), []);
    expect(result.map((arg) => arg.flag)).toEqual(Object.keys(initial).sort());
  });
});
