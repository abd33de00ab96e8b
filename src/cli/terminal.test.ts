import { describe, expect, it } from 'vitest';
import { colorEnabled, progressEnabled } from './terminal.ts';

describe('colorEnabled', () => {
  it.each([
    { flag: false, env: {}, tty: true, expected: true },
    { flag: false, env: {}, tty: false, expected: false },
    { flag: true, env: {}, tty: true, expected: false },
    { flag: false, env: { NO_COLOR: '1' }, tty: true, expected: false },
    { flag: false, env: { NO_COLOR: '' }, tty: true, expected: true },
    { flag: false, env: { FORCE_COLOR: '1' }, tty: false, expected: true },
    { flag: false, env: { TERM: 'dumb' }, tty: true, expected: false },
  ])('--no-color=$flag env=$env tty=$tty → $expected', ({ flag, env, tty, expected }) => {
    expect(colorEnabled({ noColorFlag: flag, env, isTTY: tty })).toBe(expected);
  });
});

describe('progressEnabled', () => {
  it('shows progress only to a person at a terminal', () => {
    expect(progressEnabled({}, true, false)).toBe(true);
    expect(progressEnabled({}, false, false)).toBe(false);
    expect(progressEnabled({ CI: 'true' }, true, false)).toBe(false);
    expect(progressEnabled({}, true, true)).toBe(false);
  });
});
