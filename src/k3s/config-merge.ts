import type { Source } from '../core/source.ts';
import type { ConfigFile } from '../facts/node-facts.ts';
import type { ParsedFlag } from './argv.ts';
import { configValueText } from './config-file.ts';
import { canonicalFlagName, flagForEnvironmentVariable, isSliceFlag } from './flags.ts';

/** One value of a k3s flag and where it was set. */
export interface SettingValue {
  value: string;
  source: Source;
}

/**
 * The k3s flags in force, by canonical name, each with every value in the order k3s applies them.
 * For a scalar flag the last value wins; a slice flag (`kube-apiserver-arg`, `node-label`) keeps them all.
 */
export type K3sSettings = ReadonlyMap<string, readonly SettingValue[]>;

/**
 * Merges config.yaml and its config.yaml.d drop-ins exactly as k3s's configfilearg parser does:
 * files in the order given (the base file, then drop-ins by name), a later `key` replaces the earlier
 * value(s), a later `key+` appends to them (a scalar becomes a list: `append(toSlice(old), toSlice(new))`),
 * a `key+` with nothing before it just sets. A file with an error contributes nothing (k3s would refuse
 * to start; the audit reports the error).
 */
export function mergeConfigFiles(files: readonly ConfigFile[]): Map<string, SettingValue[]> {
  const merged = new Map<string, SettingValue[]>();
  for (const file of files) {
    if (!file.present || file.error !== undefined) continue;
    for (const entry of file.entries) {
      const append = entry.key.endsWith('+');
      const name = canonicalFlagName(append ? entry.key.slice(0, -1) : entry.key);
      const values: SettingValue[] = [];
      if (Array.isArray(entry.value)) {
        entry.value.forEach((item, index) => {
          const line = entry.itemLines?.[index] ?? entry.line;
          values.push({ value: configValueText(item), source: configSource(file.path, line, entry.key) });
        });
      } else {
        const text = configValueText(entry.value);
        // toSlice drops a blank non-string scalar when appending; a plain key keeps it (`--key=`).
        if (!(append && merged.has(name) && typeof entry.value !== 'string' && text.trim() === '')) {
          values.push({ value: text, source: configSource(file.path, entry.line, entry.key) });
        }
      }
      const previous = merged.get(name);
      merged.set(name, append && previous !== undefined ? [...previous, ...values] : values);
    }
  }
  return merged;
}

function configSource(path: string, line: number, key: string): Source {
  return { kind: 'config-file', path, line, detail: key };
}

export interface ArgvLayer {
  flags: readonly ParsedFlag[];
  source: Source;
}

export interface EnvironmentVariable {
  name: string;
  value: string;
  source: Source;
}

export interface SettingsInput {
  configFiles: readonly ConfigFile[];
  /** Command-line layers in order (normally one: the service's ExecStart or the process's argv). */
  argv?: readonly ArgvLayer[];
  environment?: readonly EnvironmentVariable[];
}

/**
 * The flags k3s ends up with: built-in default < K3S_* environment < config files < command line.
 * k3s inserts the config-file flags before the real command-line flags, so the command line wins for a
 * scalar flag; for a repeatable flag the command line replaces the whole list (docs/installation/
 * configuration.md). urfave/cli only reads a flag's environment variable when the flag was not given,
 * and config-file values count as given, so the environment is the lowest of the three.
 */
export function resolveK3sSettings(input: SettingsInput): K3sSettings {
  const settings = new Map<string, SettingValue[]>();
  for (const variable of input.environment ?? []) {
    const flag = flagForEnvironmentVariable(variable.name);
    if (flag === undefined) continue;
    const values = flag.type === 'slice' ? variable.value.split(',').filter((part) => part !== '') : [variable.value];
    settings.set(flag.name, values.map((value) => ({ value, source: { ...variable.source, detail: variable.name } })));
  }
  for (const [name, values] of mergeConfigFiles(input.configFiles)) settings.set(name, values);
  for (const layer of input.argv ?? []) {
    const fromCommandLine = new Map<string, SettingValue[]>();
    for (const flag of layer.flags) {
      const list = fromCommandLine.get(flag.name) ?? [];
      list.push({ value: flag.value, source: { ...layer.source, detail: `--${flag.name}` } });
      fromCommandLine.set(flag.name, list);
    }
    for (const [name, values] of fromCommandLine) {
      const previous = settings.get(name);
      settings.set(name, isSliceFlag(name) || previous === undefined ? values : [...previous, ...values]);
    }
  }
  return settings;
}

/** The value in force for a scalar flag (the last one), or null when it is not set anywhere. */
export function settingValue(settings: K3sSettings, name: string): SettingValue | null {
  const values = settings.get(name);
  return values === undefined || values.length === 0 ? null : (values[values.length - 1] ?? null);
}

/** Every value of a repeatable flag, in order. */
export function settingValues(settings: K3sSettings, name: string): readonly SettingValue[] {
  return settings.get(name) ?? [];
}

/** A boolean flag: `true`, `false`, or null when not set. Accepts Go's strconv.ParseBool spellings. */
export function settingBool(settings: K3sSettings, name: string): { value: boolean; source: Source } | null {
  const setting = settingValue(settings, name);
  if (setting === null) return null;
  const text = setting.value.trim().toLowerCase();
  const value = ['1', 't', 'true', 'yes', 'y', 'on'].includes(text);
  return { value, source: setting.source };
}
