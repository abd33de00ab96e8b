import type { MatrixCell, MatrixView } from '../matrix-view.ts';
import { type PortSet, isAllPorts, isEmptyPortSet, minPort, maxPort, portSetKey, protocols } from '../port-set.ts';

/** Text grid, CSV and JSON for a matrix view, as generators of text pieces so that a large matrix streams. */

/** `80,81/TCP 53/UDP`, `TCP` for a whole protocol, cut to `width` with `…`. */
export function compactPorts(set: PortSet, width = 16): string {
  if (isAllPorts(set)) return 'all';
  if (isEmptyPortSet(set)) return '-';
  const parts = protocols
    .filter((protocol) => set[protocol].length > 0)
    .map((protocol) => {
      const ranges = set[protocol];
      if (ranges.length === 2 && ranges[0] === minPort && ranges[1] === maxPort) return protocol;
      const items: string[] = [];
      for (let index = 0; index < ranges.length; index += 2) {
        const lo = ranges[index] as number;
        const hi = ranges[index + 1] as number;
        items.push(lo === hi ? String(lo) : `${lo}-${hi}`);
      }
      return `${items.join(',')}/${protocol}`;
    });
  const text = parts.join('+');
  return text.length <= width ? text : `${text.slice(0, width - 1)}…`;
}

export function cellText(view: MatrixView, cell: MatrixCell, probe: number | null): string {
  if (cell.self) return probe === null ? 'self' : '-';
  if (cell.pairs === 0) return '';
  const mark = cell.k3sDiffers ? '*' : '';
  if (probe !== null) {
    const counts = cell.probes[probe];
    if (counts === undefined) return '';
    if (counts.allowed === cell.pairs) return `.${mark}`;
    if (counts.denied === cell.pairs) return `X${mark}`;
    if (view.by === 'pod' && counts.undecided === cell.pairs) return `?${mark}`;
    return `${counts.allowed}/${cell.pairs}${counts.undecided > 0 ? '?' : ''}${mark}`;
  }
  if (cell.allPorts === cell.pairs) return `all${mark}`;
  if (cell.noPorts === cell.pairs) return `-${mark}`;
  if (view.by === 'pod' || cell.somePorts === cell.pairs) {
    if (cell.undecided === cell.pairs) return `?${compactPorts(cell.possible)}${mark}`;
    if (view.by === 'pod') return `${compactPorts(cell.sure)}${mark}`;
  }
  const allowed = cell.allPorts + cell.somePorts;
  return `${allowed}/${cell.pairs}${cell.undecided > 0 ? '?' : ''}${mark}`;
}

export function* renderMatrixText(view: MatrixView, header: string): Generator<string> {
  const size = view.labels.length;
  const grids = view.probes === null ? [null] : view.probes.map((_, index) => index);
  const useNames = size <= 20 && view.labels.every((label) => label.length <= 14);
  const columnHeaders = view.labels.map((label, index) => (useNames ? label : String(index + 1)));
  const rowLabels = view.labels.map((label, index) => (useNames ? label : `${index + 1} ${label}`));
  const rowWidth = rowLabels.reduce((width, label) => Math.max(width, label.length), 4);
  let anyDiffers = false;
  yield(`${header}\n`);
  // Up to a few hundred rows the columns fit their content; beyond, they have a fixed width and rows
  // stream without holding the grid in memory.
  const fitted = size <= 300;
  const fixedWidth = (probe: number | null): number => (probe === null ? 12 : 6);
  const clip = (text: string, width: number): string => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);
  for (const probe of grids) {
    const probeInfo = view.probes?.[probe ?? -1];
    const title = `\n${probeInfo === undefined ? 'allowed ports (row = from, column = to)' : `${probeInfo.port}/${probeInfo.protocol} (row = from, column = to)`}\n`;
    if (!fitted) {
      const widths = columnHeaders.map((label) => Math.max(label.length, fixedWidth(probe)));
      yield title;
      yield `${`${''.padEnd(rowWidth)}  ${columnHeaders.map((label, column) => label.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd()}\n`;
      for (let row = 0; row < size; row++) {
        const line: string[] = [];
        for (let column = 0; column < size; column++) {
          const cell = view.cell(row, column);
          anyDiffers ||= cell.k3sDiffers;
          line.push(clip(cellText(view, cell, probe), widths[column] ?? 0).padEnd(widths[column] ?? 0));
        }
        yield `${`${(rowLabels[row] ?? '').padEnd(rowWidth)}  ${line.join('  ')}`.trimEnd()}\n`;
      }
      continue;
    }
    const texts: string[][] = [];
    for (let row = 0; row < size; row++) {
      const line: string[] = [];
      for (let column = 0; column < size; column++) {
        const cell = view.cell(row, column);
        anyDiffers ||= cell.k3sDiffers;
        line.push(cellText(view, cell, probe));
      }
      texts.push(line);
    }
    const widths = columnHeaders.map((label, column) => texts.reduce((width, line) => Math.max(width, (line[column] ?? '').length), label.length));
    yield title;
    yield `${`${''.padEnd(rowWidth)}  ${columnHeaders.map((label, column) => label.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd()}\n`;
    for (const [row, line] of texts.entries()) {
      yield `${`${(rowLabels[row] ?? '').padEnd(rowWidth)}  ${line.map((text, column) => text.padEnd(widths[column] ?? 0)).join('  ')}`.trimEnd()}\n`;
    }
  }
  yield('\n');
  if (view.probes === null) {
    yield(
      view.by === 'pod'
        ? 'all: every port allowed; -: nothing allowed; 80/TCP: only those ports; ?: allowed only if the pod gets an address in an ipBlock (address unknown)\n'
        : 'all: every pod pair allowed on every port; -: nothing allowed; a/n: a of n pod pairs allowed on some port; ?: some pairs undecided (address unknown)\n'
    );
  } else {
    yield(
      view.by === 'pod'
        ? '.: allowed; X: denied; ?: undecided (address unknown); -: a pod to itself\n'
        : '.: every pod pair allowed; X: every pair denied; a/n: a of n pairs allowed; ?: some undecided\n'
    );
  }
  if (anyDiffers) {
    yield(
      view.semantics === 'spec'
        ? '*: k3s (kube-router) answers differently for this cell (--k3s shows its answers); kharden netpol explain says why\n'
        : '*: the specification answers differently for this cell; kharden netpol explain says why\n'
    );
  }
}

const csvField = (value: string | number | boolean): string => {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function* renderMatrixCsv(view: MatrixView): Generator<string> {
  const size = view.labels.length;
  if (view.probes === null) {
    yield('from,to,pairs,allowed_ports,possibly_allowed_ports,pairs_all_ports,pairs_some_ports,pairs_no_ports,pairs_undecided,k3s_differs\n');
  } else {
    yield('from,to,port,protocol,pairs,allowed,denied,undecided,k3s_differs\n');
  }
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const cell = view.cell(row, column);
      const from = view.labels[row] ?? '';
      const to = view.labels[column] ?? '';
      if (cell.self || cell.pairs === 0) continue;
      if (view.probes === null) {
        yield(
          `${[from, to, cell.pairs, portSetKey(cell.sure), portSetKey(cell.possible), cell.allPorts, cell.somePorts, cell.noPorts, cell.undecided, cell.k3sDiffers]
            .map(csvField)
            .join(',')}\n`
        );
      } else {
        for (const [index, probe] of view.probes.entries()) {
          const counts = cell.probes[index] ?? { allowed: 0, denied: 0, undecided: 0 };
          yield(
            `${[from, to, probe.port, probe.protocol, cell.pairs, counts.allowed, counts.denied, counts.undecided, cell.k3sDiffers].map(csvField).join(',')}\n`
          );
        }
      }
    }
  }
}

export function* renderMatrixJson(view: MatrixView, extra: Record<string, unknown>): Generator<string> {
  const head = {
    apiVersion: 'kharden.dev/v1',
    kind: 'NetpolMatrix',
    by: view.by,
    semantics: view.semantics,
    probes: view.probes,
    pods: view.pods,
    classes: view.classes,
    k3sCompared: view.k3sCompared,
    ...extra,
    labels: view.labels,
  };
  const text = JSON.stringify(head, null, 2);
  yield(`${text.slice(0, -2)},\n  "cells": [`);
  const size = view.labels.length;
  let first = true;
  for (let row = 0; row < size; row++) {
    for (let column = 0; column < size; column++) {
      const cell = view.cell(row, column);
      const entry = {
        from: view.labels[row],
        to: view.labels[column],
        ...(cell.self ? { self: true } : {}),
        pairs: cell.pairs,
        allowedPorts: portSetKey(cell.sure),
        possiblyAllowedPorts: portSetKey(cell.possible),
        pairsAllPorts: cell.allPorts,
        pairsSomePorts: cell.somePorts,
        pairsNoPorts: cell.noPorts,
        pairsUndecided: cell.undecided,
        ...(view.probes === null
          ? {}
          : { probes: view.probes.map((probe, index) => ({ port: probe.port, protocol: probe.protocol, ...cell.probes[index] })) }),
        k3sDiffers: cell.k3sDiffers,
      };
      yield(`${first ? '' : ','}\n    ${JSON.stringify(entry)}`);
      first = false;
    }
  }
  yield('\n  ]\n}\n');
}
