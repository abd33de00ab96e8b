import type { Evidence } from '../core/finding.ts';
import type { Source } from '../core/source.ts';
import type { Component } from '../facts/node-facts.ts';
import type { ArgValue, ComponentArgs } from '../k3s/effective-args.ts';

/** `kube-apiserver --anonymous-auth` = `false`, from wherever the effective args say. */
export function argEvidence(component: Component, value: ArgValue): Evidence {
  return { subject: `${component} --${value.flag}`, value: value.value, source: value.source };
}

/**
 * Evidence that a flag is absent: where kharden looked. When the arguments came from a `Running ...` log line,
 * that line is the place; from a Node's k3s.io/node-args annotation, that annotation (and k3s's defaults);
 * otherwise they were computed from k3s defaults and the configuration.
 */
export function absentArgEvidence(args: ComponentArgs, flag: string): Evidence {
  return { subject: `${args.component} --${flag}`, value: null, source: argsOrigin(args) };
}

export function argsOrigin(args: ComponentArgs): Source {
  if (args.known) {
    const logged = args.values.find((value) => value.source.kind === 'k3s-log');
    if (logged !== undefined) return logged.source;
    if (args.unsetSource !== undefined) return args.unsetSource;
  }
  return { kind: 'kharden', detail: `${args.component} arguments computed from k3s defaults and the configuration` };
}

export function reasoning(subject: string, value: string | null, detail: string): Evidence {
  return { subject, value, source: { kind: 'kharden', detail } };
}
