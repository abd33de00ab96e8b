import type { PssReport } from '../pss/pss-report.ts';

/** The versioned JSON form of `kharden pss` (docs/pss.md). */
export function renderPssJson(report: PssReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
