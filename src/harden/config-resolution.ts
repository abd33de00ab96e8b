import type { Source } from '../core/source.ts';
import { type DesiredSetting, describeSetting } from './desired-config.ts';
import type { UserConfig } from './user-config.ts';

/**
 * Compares what the hardening guide asks with what the user configured. A setting the user already has is
 * left out of the drop-in; one the user set differently is a conflict, shown and never overwritten; a
 * plugin list is extended rather than replaced.
 */
export interface Conflict {
  setting: string;
  /** What the user has, and where. */
  userValue: string;
  source: Source | null;
  reason: string;
}

export interface ResolvedSetting {
  setting: DesiredSetting;
  /** The value written to the drop-in (a merged plugin list may differ from the setting's own value). */
  value: string | true;
  /** Set when the user's own list is extended: what they had and where. */
  extends?: { userValue: string; source: Source };
}

export interface ConfigResolution {
  toWrite: ResolvedSetting[];
  alreadySet: Array<{ setting: DesiredSetting; source: Source; note?: string }>;
  conflicts: Conflict[];
}

export function resolveSettings(settings: readonly DesiredSetting[], user: UserConfig, dropInPath: string): ConfigResolution {
  const resolution: ConfigResolution = { toWrite: [], alreadySet: [], conflicts: [] };
  const disabledPlugins = new Set(
    user
      .args('kube-apiserver-arg')
      .filter((arg) => arg.flag === 'disable-admission-plugins')
      .flatMap((arg) => arg.value.split(',').map((item) => item.trim())),
  );
  for (const setting of settings) {
    if (!('flag' in setting)) {
      const current = user.scalar(setting.key);
      if (current === null) resolution.toWrite.push({ setting, value: true });
      else if (isTrue(current.value)) resolution.alreadySet.push({ setting, source: current.source });
      else {
        resolution.conflicts.push({
          setting: describeSetting(setting),
          userValue: `${setting.key}: ${current.value}`,
          source: current.source,
          reason: `you set ${setting.key} to ${current.value}; kharden leaves it (${setting.purpose})`,
        });
      }
      continue;
    }
    const mine = user.args(setting.key).filter((arg) => arg.flag === setting.flag);
    const current = mine[mine.length - 1];
    if (setting.listMerge === true) {
      const wanted = setting.value.split(',').filter((plugin) => {
        if (!disabledPlugins.has(plugin)) return true;
        resolution.conflicts.push({
          setting: describeSetting(setting),
          userValue: `disable-admission-plugins includes ${plugin}`,
          source: user.args(setting.key).find((arg) => arg.flag === 'disable-admission-plugins')?.source ?? null,
          reason: `you disabled the ${plugin} admission plugin; kharden does not enable it`,
        });
        return false;
      });
      const have = current === undefined ? [] : current.value.split(',').map((item) => item.trim()).filter((item) => item !== '');
      const missing = wanted.filter((plugin) => !have.includes(plugin));
      if (missing.length === 0) {
        if (current !== undefined) resolution.alreadySet.push({ setting, source: current.source });
        continue;
      }
      const value = [...have, ...missing].join(',');
      const resolved: ResolvedSetting = { setting: { ...setting, value }, value };
      if (current !== undefined) resolved.extends = { userValue: current.value, source: current.source };
      resolution.toWrite.push(resolved);
      continue;
    }
    if (current === undefined) resolution.toWrite.push({ setting, value: setting.value });
    else if (current.value === setting.value) resolution.alreadySet.push({ setting, source: current.source });
    else if (setting.accepts?.(current.value) === true) {
      resolution.alreadySet.push({ setting: { ...setting, value: current.value }, source: current.source, note: `the guide uses ${setting.value}; yours meets the benchmark too` });
    } else {
      resolution.conflicts.push({
        setting: describeSetting(setting),
        userValue: `${setting.flag}=${current.value}`,
        source: current.source,
        reason: `you set ${setting.key} ${setting.flag}=${current.value}; kharden leaves it (it would set ${setting.value}: ${setting.purpose})`,
      });
    }
  }
  // A value kharden adds is useless if something read after the drop-in replaces it: show that instead.
  const keys = new Set(resolution.toWrite.map((resolved) => resolved.setting.key));
  for (const key of keys) {
    const why = user.overriddenAfter(dropInPath, key);
    if (why === null) continue;
    for (const resolved of resolution.toWrite.filter((candidate) => candidate.setting.key === key)) {
      resolution.conflicts.push({ setting: describeSetting(resolved.setting), userValue: '(replaced)', source: null, reason: why });
    }
    resolution.toWrite = resolution.toWrite.filter((candidate) => candidate.setting.key !== key);
  }
  return resolution;
}

function isTrue(value: string): boolean {
  return ['1', 't', 'true', 'yes', 'y', 'on'].includes(value.trim().toLowerCase());
}
