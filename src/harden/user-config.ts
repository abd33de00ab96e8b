import type { Source } from '../core/source.ts';
import type { NodeFacts } from '../facts/node-facts.ts';
import { parseK3sArgv } from '../k3s/argv.ts';
import { type ArgvLayer, type K3sSettings, resolveK3sSettings, settingValue, settingValues } from '../k3s/config-merge.ts';

/**
 * The user's k3s configuration as k3s merges it (src/k3s/config-merge.ts), without kharden's own drop-in:
 * kharden reads it to avoid re-setting what is already set and to show, not overwrite, what the user set
 * differently.
 */
export interface UserValue {
  value: string;
  source: Source;
}

export interface UserConfig {
  /** Last value of a scalar flag (`protect-kernel-defaults`), or null when nobody sets it. */
  scalar(key: string): UserValue | null;
  /** `flag=value` items of a list key (`kube-apiserver-arg`), in order; the component honours the last. */
  args(key: string): Array<{ flag: string; value: string; source: Source }>;
  /** Values of a list key such as `disable`, flattened (comma-separated items split). */
  list(key: string): UserValue[];
  /** Why values a drop-in at `path` sets under `key` would not take effect, or null when they would. */
  overriddenAfter(path: string, key: string): string | null;
}

export function userConfig(facts: NodeFacts, ownDropIn: string): UserConfig {
  const files = facts.k3s.configFiles.filter((file) => file.path !== ownDropIn);
  const launch = facts.k3s.service ?? facts.k3s.process;
  const argv: ArgvLayer[] = launch === null ? [] : [{ flags: parseK3sArgv(launch.argv).flags, source: launch.source }];
  const settings: K3sSettings = resolveK3sSettings({ configFiles: files, argv, environment: facts.k3s.environment });

  return {
    scalar: (key) => settingValue(settings, key),
    args(key) {
      return settingValues(settings, key).map(({ value, source }) => {
        const equals = value.indexOf('=');
        const flag = (equals < 0 ? value : value.slice(0, equals)).replace(/^--?/, '');
        return { flag, value: equals < 0 ? 'true' : value.slice(equals + 1), source };
      });
    },
    list(key) {
      return settingValues(settings, key).flatMap(({ value, source }) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '')
          .map((item) => ({ value: item, source })),
      );
    },
    overriddenAfter(path, key) {
      const flag = argv[0]?.flags.find((candidate) => candidate.name === key);
      if (flag !== undefined && launch !== null) {
        return `the k3s service sets --${key} on its command line (${where(launch.source)}), which replaces what config files set`;
      }
      const dir = path.slice(0, path.lastIndexOf('/') + 1);
      for (const file of files) {
        if (!file.path.startsWith(dir) || file.path <= path || file.error !== undefined) continue;
        const entry = file.entries.find((candidate) => candidate.key === key);
        if (entry !== undefined) return `${file.path}:${entry.line} sets ${key} without '+' after ${path}, which replaces what kharden adds`;
      }
      return null;
    },
  };
}

function where(source: Source): string {
  return source.path === undefined ? source.kind : source.line === undefined ? source.path : `${source.path}:${source.line}`;
}
