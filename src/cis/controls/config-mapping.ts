/**
 * Reading a parsed configuration file (KubeletConfiguration, etcd config, EncryptionConfiguration) whose shape
 * is not yet known: a control looks a value up by its key path and judges a missing one as unset.
 */
export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path` (`['featureGates', 'SeccompDefault']`); undefined when a step is missing or not a mapping. */
export function valueAt(content: Record<string, unknown>, path: readonly string[]): unknown {
  let current: unknown = content;
  for (const key of path) {
    if (!isMapping(current)) return undefined;
    current = current[key];
  }
  return current;
}
