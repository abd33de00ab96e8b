import type { Source } from '../core/source.ts';
import type { ConfigEntry, NodeFacts } from '../facts/node-facts.ts';

/**
 * The user's k3s configuration as k3s merges it (config.yaml, then config.yaml.d/*.yaml in name order; a
 * `key+` entry appends, a plain key replaces; command-line flags of the service override the files and, for
 * a repeatable flag, replace the whole list). kharden reads it to avoid re-setting what is already set and
 * to show, not overwrite, what the user set differently.
 */
export interface UserValue {
  value: string;
  source: Source;
}

export interface UserConfig {
  /** Last value of a top-level key (`protect-kernel-defaults`), or null when nobody sets it. */
  scalar(key: string): UserValue | null;
  /** `flag=value` items of a list key (`kube-apiserver-arg`), in order; the component honours the last. */
  args(key: string): Array<{ flag: string; value: string; source: Source }>;
  /** Values of a list key such as `disable`, flattened (comma-separated items split). */
  list(key: string): UserValue[];
  /** Why values a drop-in at `path` sets under `key` would not take effect, or null when they would. */
  overriddenAfter(path: string, key: string): string | null;
}

type Layer = { values: UserValue[]; replacedAt: Source | null };

const booleanFlags = new Set(['protect-kernel-defaults', 'secrets-encryption', 'cluster-init', 'disable-network-policy', 'debug', 'selinux', 'rootless']);

export function userConfig(facts: NodeFacts): UserConfig {
  const files = facts.k3s.configFiles.filter((file) => file.present && file.error === undefined);
  const merged = new Map<string, Layer>();
  const mergeEntry = (entry: ConfigEntry, path: string): void => {
    const append = entry.key.endsWith('+');
    const key = append ? entry.key.slice(0, -1) : entry.key;
    const source: Source = { kind: 'config-file', path, line: entry.line };
    const values = (Array.isArray(entry.value) ? entry.value : [entry.value]).map((value) => ({ value: String(value), source }));
    const previous = merged.get(key);
    if (append && previous !== undefined) previous.values.push(...values);
    else merged.set(key, { values, replacedAt: source });
  };
  for (const file of files) for (const entry of file.entries) mergeEntry(entry, file.path);

  const launch = facts.k3s.service ?? facts.k3s.process;
  const cliValues = new Map<string, UserValue[]>();
  if (launch !== null) {
    const argv = launch.argv;
    for (let index = 0; index < argv.length; index += 1) {
      const token = argv[index] ?? '';
      if (!token.startsWith('--')) continue;
      const equals = token.indexOf('=');
      let flag: string;
      let value: string;
      if (equals >= 0) {
        flag = token.slice(2, equals);
        value = token.slice(equals + 1);
      } else {
        flag = token.slice(2);
        const next = argv[index + 1];
        if (!booleanFlags.has(flag) && next !== undefined && !next.startsWith('-')) {
          value = next;
          index += 1;
        } else value = 'true';
      }
      const list = cliValues.get(flag) ?? [];
      list.push({ value, source: launch.source });
      cliValues.set(flag, list);
    }
  }
  const values = (key: string): UserValue[] => cliValues.get(key) ?? merged.get(key)?.values ?? [];

  return {
    scalar(key) {
      const all = values(key);
      return all[all.length - 1] ?? null;
    },
    args(key) {
      return values(key).map(({ value, source }) => {
        const equals = value.indexOf('=');
        return equals < 0 ? { flag: value.replace(/^--/, ''), value: 'true', source } : { flag: value.slice(0, equals).replace(/^--/, ''), value: value.slice(equals + 1), source };
      });
    },
    list(key) {
      return values(key).flatMap(({ value, source }) =>
        value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item !== '')
          .map((item) => ({ value: item, source })),
      );
    },
    overriddenAfter(path, key) {
      const cli = cliValues.get(key);
      if (cli !== undefined && cli[0] !== undefined) {
        return `the k3s service sets --${key} on its command line (${describe(cli[0].source)}), which replaces every config file's ${key}`;
      }
      for (const file of files) {
        if (file.path <= path || !file.path.startsWith(parentOf(path))) continue;
        const entry = file.entries.find((candidate) => candidate.key === key);
        if (entry !== undefined) return `${file.path}:${entry.line} sets ${key} without '+' after ${path}, which replaces the values kharden adds`;
      }
      return null;
    },
  };
}

function parentOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

function describe(source: Source): string {
  return source.path === undefined ? source.kind : source.line === undefined ? source.path : `${source.path}:${source.line}`;
}
