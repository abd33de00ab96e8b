import { type ObjectOrigin, describeOrigin } from '../facts/kube-object.ts';

/**
 * Something wrong with the input that the analysis worked around: an object the API server would
 * reject (left out), a document that is not an object, a field that could not be read.
 */
export interface InputProblem {
  /** `NetworkPolicy x/deny-all`, `Pod x/a`, or the file when there is no object. */
  object: string;
  /** The field at fault, as the API server names it (`spec.ingress[0].from[0]`), when there is one. */
  field?: string;
  message: string;
  origin: ObjectOrigin | null;
  /** What the analysis did about it. */
  consequence: string;
}

export function describeProblem(problem: InputProblem): string {
  const where = problem.origin === null ? '' : `${describeOrigin(problem.origin)}: `;
  return `${where}${problem.object}: ${problem.message} (${problem.consequence})`;
}
