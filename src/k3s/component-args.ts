import type { Source } from '../core/source.ts';
import type { ArgValue } from './effective-args.ts';

/** One `--kube-apiserver-arg` (or kubelet-arg, ...) value and where it was set. */
export interface ExtraArg {
  arg: string;
  source: Source;
}

/**
 * Combines k3s's default arguments for a component with the user's extra args, with the semantics of
 * k3s's GetArgs (pkg/util/args.go, see real-components.md §5.2):
 * - `name=value` replaces the default; repeating it accumulates (`--name=a --name=b`);
 * - `name+=value` appends to the default (and earlier values), `name-=value` prepends;
 * - a bare `name` means `true`; a leading `--` is ignored;
 * - the result is sorted by flag name, a flag's values kept in order, each its own `--name=value`.
 */
export function combineArgs(defaults: ReadonlyMap<string, ArgValue>, extra: readonly ExtraArg[]): ArgValue[] {
  const initial = new Map(defaults);
  const chosen = new Map<string, ArgValue[]>();
  for (const { arg, source } of extra) {
    const body = arg.startsWith('--') ? arg.slice(2) : arg;
    const equals = body.indexOf('=');
    const key = equals === -1 ? body : body.slice(0, equals);
    const value = equals === -1 ? 'true' : body.slice(equals + 1);
    const flag = key.replace(/[-+]+$/, '');
    const incoming: ArgValue = { flag, value, source };
    const initialValue = initial.get(flag);
    const existing = chosen.get(flag) ?? [];
    let next: ArgValue[];
    if (key.endsWith('+')) {
      next = [...(initialValue === undefined ? [] : [initialValue]), ...existing, incoming];
    } else if (key.endsWith('-')) {
      next = [incoming, ...(initialValue === undefined ? [] : [initialValue]), ...existing];
    } else {
      next = [...existing, incoming];
    }
    initial.delete(flag);
    chosen.set(flag, next);
  }
  for (const [flag, value] of initial) chosen.set(flag, [value]);
  return [...chosen.keys()].sort().flatMap((flag) => chosen.get(flag) ?? []);
}

/** The logged form of an argument list: `--a=b --c=d`, as k3s's ArgString prints it. */
export function argString(values: readonly ArgValue[]): string {
  return values.map((value) => `--${value.flag}=${value.value}`).join(' ');
}
