/** The verdict vocabulary shared by every check in kharden (CIS controls, host checks, policy checks). */
export const statuses = ['PASS', 'FAIL', 'WARN', 'N/A', 'UNKNOWN'] as const;
export type Status = (typeof statuses)[number];

export type StatusCounts = Record<Status, number>;

export function emptyCounts(): StatusCounts {
  return { PASS: 0, FAIL: 0, WARN: 0, 'N/A': 0, UNKNOWN: 0 };
}
