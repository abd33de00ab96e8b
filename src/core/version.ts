/** kharden's own version, stamped into reports and snapshots. Kept in step with package.json (a test checks). */
export const khardenVersion = '0.1.0';
