import type { BenchmarkSpec, EntrySpec, Params, UnmetStatus } from './catalog.ts';

/**
 * A benchmark version written as what changed since its predecessor, so that a reviewer reads exactly how
 * 1.12 differs from 1.11 and every row that did not change is written once (in k3s-cis-1.9.ts).
 *
 * The steps apply in this order. `removed` and the keys of `renumbered` name the predecessor's ids; every
 * other list names this version's ids. Each step must change what it names: an unknown id, an id added
 * twice, or a change that leaves an entry as it was is an error when the module loads, never a silent no-op.
 */
export interface CatalogDelta extends Omit<BenchmarkSpec, 'sectionTitles' | 'controls'> {
  /** Controls this version drops. */
  removed?: readonly string[];
  /** Controls that keep their meaning under a new number (predecessor id → this version's id). */
  renumbered?: Readonly<Record<string, string>>;
  /** The guide's Automated/Manual label changed; the control is then scored as its new label says. */
  labelled?: { automated?: readonly string[]; manual?: readonly string[] };
  /** Wording, parameters (replaced whole) or scoring of a control. */
  changed?: Readonly<Record<string, EntryChange>>;
  /** What an unmet result becomes: FAIL where the benchmark audits the control, WARN where its guide answers "Warn". */
  unmet?: Partial<Record<UnmetStatus, readonly string[]>>;
  /** New controls; each takes its place in id order. */
  added?: readonly EntrySpec[];
}

export interface EntryChange {
  title?: string;
  scored?: boolean;
  params?: Params;
}

/** The same change for several controls: `changed: { ...changeEach(['5.1.1', '5.1.2'], { params }) }`. */
export function changeEach(ids: readonly string[], change: EntryChange): Record<string, EntryChange> {
  return Object.fromEntries(ids.map((id) => [id, change]));
}

export function deriveBenchmarkSpec(predecessor: BenchmarkSpec, delta: CatalogDelta): BenchmarkSpec {
  const where = `${delta.id} (derived from ${predecessor.id})`;
  let rows: EntrySpec[] = [...predecessor.controls];
  const ensureKnown = (ids: Iterable<string>, step: string): void => {
    for (const id of ids) if (!rows.some((row) => row.id === id)) throw new Error(`${where}: ${step} names ${id}, which is not in the catalog`);
  };

  const removed = new Set(delta.removed ?? []);
  ensureKnown(removed, 'removed');
  rows = rows.filter((row) => !removed.has(row.id));

  const renumbered = delta.renumbered ?? {};
  ensureKnown(Object.keys(renumbered), 'renumbered');
  rows = rows.map((row) => {
    const id = renumbered[row.id];
    return id === undefined ? row : { ...row, id };
  });
  ensureUnique(rows, where);

  const update = (ids: readonly string[] | undefined, step: string, apply: (row: EntrySpec) => EntrySpec): void => {
    if (ids === undefined) return;
    ensureKnown(ids, step);
    const wanted = new Set(ids);
    if (wanted.size !== ids.length) throw new Error(`${where}: ${step} names a control twice`);
    rows = rows.map((row) => {
      if (!wanted.has(row.id)) return row;
      const next = apply(row);
      if (resolvedFields(next) === resolvedFields(row)) throw new Error(`${where}: ${step} leaves ${row.id} as it was`);
      return next;
    });
  };
  const relabel = (type: EntrySpec['type']) => (row: EntrySpec): EntrySpec => {
    const { scored: _scored, ...rest } = row;
    return { ...rest, type };
  };
  update(delta.labelled?.automated, 'labelled.automated', relabel('automated'));
  update(delta.labelled?.manual, 'labelled.manual', relabel('manual'));
  for (const [id, change] of Object.entries(delta.changed ?? {})) update([id], 'changed', (row) => ({ ...row, ...change }));
  for (const status of ['FAIL', 'WARN'] as const) update(delta.unmet?.[status], `unmet.${status}`, (row) => ({ ...row, unmetStatus: status }));

  for (const entry of delta.added ?? []) {
    if (rows.some((row) => row.id === entry.id)) throw new Error(`${where}: added ${entry.id}, which is already in the catalog`);
    const next = rows.findIndex((row) => compareIds(row.id, entry.id) > 0);
    rows.splice(next === -1 ? rows.length : next, 0, entry);
  }

  return {
    id: delta.id,
    title: delta.title,
    cisVersion: delta.cisVersion,
    k3sMinors: delta.k3sMinors,
    source: delta.source,
    sectionTitles: predecessor.sectionTitles,
    controls: rows,
  };
}

/** The entry as the catalog resolves it (defaults applied), to tell a real change from a no-op. */
function resolvedFields(row: EntrySpec): string {
  return JSON.stringify([row.id, row.title, row.type, row.scored ?? row.type === 'automated', row.implementation, row.params ?? {}, row.unmetStatus ?? 'FAIL']);
}

function ensureUnique(rows: readonly EntrySpec[], where: string): void {
  const seen = new Set<string>();
  for (const row of rows) {
    if (seen.has(row.id)) throw new Error(`${where}: two controls numbered ${row.id}`);
    seen.add(row.id);
  }
}

/** CIS numbers compare part by part as numbers: 1.2.9 < 1.2.10 < 1.3.1. */
export function compareIds(a: string, b: string): number {
  const left = a.split('.').map(Number);
  const right = b.split('.').map(Number);
  for (let index = 0; index < Math.max(left.length, right.length); index += 1) {
    const difference = (left[index] ?? -1) - (right[index] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}
