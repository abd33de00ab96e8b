import { z } from 'zod';

/**
 * A Kubernetes object as kharden handles it before a domain (pss, netpol, cis section 5) interprets it:
 * only apiVersion, kind and metadata are checked here; each domain validates the fields it reads.
 */
export const kubeObjectSchema = z
  .object({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: z
      .object({
        name: z.string().optional(),
        generateName: z.string().optional(),
        namespace: z.string().optional(),
        labels: z.record(z.string(), z.string()).optional(),
        annotations: z.record(z.string(), z.string()).optional(),
      })
      .loose(),
  })
  .loose();
export type KubeObject = z.infer<typeof kubeObjectSchema>;

/** Where an object came from: a document of a manifest file (0-based index, 1-based line), or the cluster. */
export type ObjectOrigin =
  | { kind: 'file'; path: string; document: number; line: number; item?: number }
  | { kind: 'cluster'; server: string };

export interface SourcedObject {
  object: KubeObject;
  origin: ObjectOrigin;
}

/** A document or object that could not be used, with where it is. */
export interface ObjectProblem {
  origin: ObjectOrigin;
  message: string;
}

export function describeOrigin(origin: ObjectOrigin): string {
  if (origin.kind === 'cluster') return `cluster ${origin.server}`;
  const item = origin.item === undefined ? '' : ` item ${origin.item}`;
  return `${origin.path} document ${origin.document + 1} (line ${origin.line})${item}`;
}

export function objectName(object: KubeObject): string {
  const name = object.metadata.name ?? object.metadata.generateName ?? '<unnamed>';
  return object.metadata.namespace === undefined ? `${object.kind}/${name}` : `${object.kind} ${object.metadata.namespace}/${name}`;
}
