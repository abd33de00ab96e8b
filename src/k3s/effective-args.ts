import type { Source } from '../core/source.ts';
import type { Component, NodeFacts } from '../facts/node-facts.ts';

/**
 * The arguments each embedded component runs (or will run) with, each with where it came from.
 *
 * - `running`: what k3s last started with: the `Running <component>` log lines when present, otherwise
 *   computed from the configuration that was in force (k3s defaults + config files + service args).
 * - `configured`: what k3s will run after its next restart, from k3s's defaults for the version merged
 *   with the current configuration only.
 *
 * CONTRACT (implemented in this folder; consumed by cis/ and harden/). Do not change a signature without
 * updating every consumer.
 */
export type ArgsState = 'running' | 'configured';

export interface ArgValue {
  /** The flag without dashes: `anonymous-auth`. */
  flag: string;
  /** The value as the component sees it (`true` for a bare boolean flag). */
  value: string;
  source: Source;
}

export type ComponentArgs =
  | {
      known: true;
      component: Component;
      /** Every occurrence in order; the component honours the last for scalar flags. */
      values: readonly ArgValue[];
      /**
       * Where a flag absent from `values` was looked for, when that is not a logged line or the node's own
       * configuration: a Node's k3s.io/node-args annotation. Evidence that a flag is not set cites it.
       */
      unsetSource?: Source;
    }
  | {
      known: false;
      component: Component;
      /** Why the arguments are not known: `no Running kube-apiserver line in the k3s log (looked in ...)`, ... */
      reason: string;
    };

/** Differences between the logged (running) arguments and what the current configuration implies. */
export interface ArgDrift {
  component: Component;
  flag: string;
  running: string | null;
  configured: string | null;
}

export interface EffectiveArgs {
  state: ArgsState;
  components: Readonly<Record<Component, ComponentArgs>>;
  drift: readonly ArgDrift[];
}

/** Last value of a flag, or null when the component does not get it. */
export function lastValue(args: ComponentArgs, flag: string): ArgValue | null {
  if (!args.known) return null;
  for (let index = args.values.length - 1; index >= 0; index -= 1) {
    const value = args.values[index];
    if (value !== undefined && value.flag === flag) return value;
  }
  return null;
}

export type EffectiveArgsFunction = (facts: NodeFacts, state: ArgsState) => EffectiveArgs;

// The implementation lives beside the contract; consumers may import either file.
export { effectiveArgs } from './compute-args.ts';
