/**
 * Kubernetes label selectors (metav1.LabelSelector) as NetworkPolicy uses them: matchLabels AND
 * matchExpressions; `NotIn` and `DoesNotExist` hold when the key is absent; `{}` (or null fields) selects
 * everything. A selector that is absent altogether is a different thing (the caller decides what it means).
 */
export type Labels = Readonly<Record<string, string>>;

export const selectorOperators = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;
export type SelectorOperator = (typeof selectorOperators)[number];

export interface SelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: readonly string[];
}

export interface LabelSelector {
  matchLabels: Labels;
  matchExpressions: readonly SelectorRequirement[];
}

export const selectEverything: LabelSelector = { matchLabels: {}, matchExpressions: [] };

export function requirementMatches(requirement: SelectorRequirement, labels: Labels): boolean {
  const present = Object.hasOwn(labels, requirement.key);
  switch (requirement.operator) {
    case 'In':
      return present && requirement.values.includes(labels[requirement.key] as string);
    case 'NotIn':
      return !present || !requirement.values.includes(labels[requirement.key] as string);
    case 'Exists':
      return present;
    case 'DoesNotExist':
      return !present;
  }
}

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key) || labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions) {
    if (!requirementMatches(requirement, labels)) return false;
  }
  return true;
}

export function selectsEverything(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels).length === 0 && selector.matchExpressions.length === 0;
}

/**
 * The selector's requirements in one canonical order, matchLabels written as `In` with one value,
 * so that equal selectors written differently share one key (used to evaluate each distinct selector once).
 */
export function selectorKey(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels)) parts.push(`${key}\u0000In\u0000${value}`);
  for (const requirement of selector.matchExpressions) {
    const values = [...new Set(requirement.values)].sort();
    parts.push(`${requirement.key}\u0000${requirement.operator}\u0000${values.join('\u0001')}`);
  }
  return [...new Set(parts)].sort().join('\u0002');
}

/** kubectl's selector syntax: `app=web,tier in (a,b),!legacy`; `{}` for a selector that selects everything. */
export function describeSelector(selector: LabelSelector): string {
  if (selectsEverything(selector)) return '{}';
  const parts = Object.entries(selector.matchLabels).map(([key, value]) => `${key}=${value}`);
  for (const requirement of selector.matchExpressions) {
    switch (requirement.operator) {
      case 'In':
        parts.push(`${requirement.key} in (${requirement.values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${requirement.key} notin (${requirement.values.join(',')})`);
        break;
      case 'Exists':
        parts.push(requirement.key);
        break;
      case 'DoesNotExist':
        parts.push(`!${requirement.key}`);
        break;
    }
  }
  return parts.join(',');
}

/** The first requirement a label set fails, for explanations ("pod=b: label pod is a"). */
export function firstMismatch(selector: LabelSelector, labels: Labels): string | null {
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (!Object.hasOwn(labels, key)) return `${key}=${value}: no label ${key}`;
    if (labels[key] !== value) return `${key}=${value}: ${key} is ${labels[key]}`;
  }
  for (const requirement of selector.matchExpressions) {
    if (requirementMatches(requirement, labels)) continue;
    const single = describeSelector({ matchLabels: {}, matchExpressions: [requirement] });
    const present = Object.hasOwn(labels, requirement.key);
    return present ? `${single}: ${requirement.key} is ${labels[requirement.key]}` : `${single}: no label ${requirement.key}`;
  }
  return null;
}
