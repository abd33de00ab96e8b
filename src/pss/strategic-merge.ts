/**
 * Just enough of Kubernetes' strategic merge patch to apply kharden's own securityContext patches to a
 * pod (and so prove they work): maps merge recursively, `null` deletes a key, the container lists merge
 * by name and container ports by containerPort (and protocol), every other list is replaced.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

const mergeKeys: Readonly<Record<string, readonly string[]>> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  ports: ['containerPort', 'protocol'],
};

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function applyStrategicMerge(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const base: JsonObject = isJsonObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete base[key];
      continue;
    }
    const keys = mergeKeys[key];
    if (Array.isArray(value) && keys !== undefined) {
      base[key] = mergeList(base[key], value, keys);
    } else if (isJsonObject(value)) {
      base[key] = applyStrategicMerge(base[key], value);
    } else {
      base[key] = value;
    }
  }
  return base;
}

function mergeList(target: JsonValue | undefined, patch: JsonValue[], keys: readonly string[]): JsonValue[] {
  const result: JsonValue[] = Array.isArray(target) ? [...target] : [];
  for (const item of patch) {
    if (!isJsonObject(item)) continue;
    const index = result.findIndex((existing) => isJsonObject(existing) && keys.every((key) => sameKey(existing[key], item[key], key)));
    if (index === -1) result.push(applyStrategicMerge(undefined, item));
    else result[index] = applyStrategicMerge(result[index], item);
  }
  return result;
}

/** A port's protocol defaults to TCP, so an unset protocol matches TCP. */
function sameKey(left: JsonValue | undefined, right: JsonValue | undefined, key: string): boolean {
  if (key === 'protocol') return (left ?? 'TCP') === (right ?? 'TCP');
  return left === right;
}
