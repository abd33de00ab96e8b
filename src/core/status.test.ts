import { describe, expect, it } from 'vitest';
import { emptyCounts, statuses } from './status.ts';

describe('statuses', () => {
  it('counts start at zero for every status', () => {
    expect(Object.keys(emptyCounts())).toEqual([...statuses]);
  });
});
