/**
 * kharden's Pod Security verdicts and messages against the real PodSecurity admission of a
 * kube-apiserver (the test control plane, v1.35.4+k3s1): for every upstream conformance fixture and
 * a corpus of realistic workloads, a server-side dry-run create in a namespace labelled for a level and
 * version is accepted exactly when kharden allows it, the rejection message equals kharden's, and the
 * warnings a controller draws equal kharden's.
 *
 * kharden evaluates with `latest` meaning what it means on this server (v1.35 for Kubernetes 1.35):
 * policy versions v1.36 and v1.37 clamp to v1.35 there, so their fixtures are compared at v1.35.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { startControlPlane, type ControlPlane } from '../control-plane/control-plane.ts';
import type { SourcedObject } from '../../src/facts/kube-object.ts';
import { kubeObjectSchema } from '../../src/facts/kube-object.ts';
import { parseAdmissionConfig, type PodSecurityConfiguration } from '../../src/pss/admission-config.ts';
import { admit, resolveNamespace } from '../../src/pss/admission.ts';
import { assessWorkloads, type NamespaceInput } from '../../src/pss/assess.ts';
import { forbiddenStatusMessage } from '../../src/pss/evaluate.ts';
import { latestVersionForKubernetes } from '../../src/pss/registry.ts';
import { extractPod } from '../../src/pss/workload.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixturesRoot = path.join(here, '..', 'conformance', 'pss');
const corpusRoot = path.join(here, '..', 'corpus');

/** The cluster-wide PodSecurity configuration, as on a hardened k3s (psa.yaml), with both exemption kinds. */
const admissionConfigText = `apiVersion: apiserver.config.k8s.io/v1
kind: AdmissionConfiguration
plugins:
- name: PodSecurity
  configuration:
    apiVersion: pod-security.admission.config.k8s.io/v1
    kind: PodSecurityConfiguration
    defaults:
      enforce: baseline
      enforce-version: latest
      audit: restricted
      audit-version: latest
      warn: restricted
      warn-version: latest
    exemptions:
      usernames: []
      runtimeClasses: [kata]
      namespaces: [pss-exempt]
`;

// ------------------------------------------------------------------ a raw API client (exact bytes, warnings)

interface ApiResponse {
  status: number;
  body: string;
  /** Status.message for errors. */
  message: string;
  reason: string;
  warnings: string[];
}

interface RawClient {
  send(method: 'POST' | 'GET', urlPath: string, body?: unknown): Promise<ApiResponse>;
}

function rawClient(cp: ControlPlane): RawClient {
  const kubeconfig = parse(cp.adminKubeconfig) as {
    clusters: Array<{ cluster: { 'certificate-authority-data': string } }>;
    users: Array<{ user: { 'client-certificate-data': string; 'client-key-data': string } }>;
  };
  const decode = (data: string | undefined) => Buffer.from(data ?? '', 'base64');
  const agent = new Agent({
    keepAlive: true,
    maxSockets: 6,
    ca: decode(kubeconfig.clusters[0]?.cluster['certificate-authority-data']),
    cert: decode(kubeconfig.users[0]?.user['client-certificate-data']),
    key: decode(kubeconfig.users[0]?.user['client-key-data']),
  });
  const server = new URL(cp.server);
  return {
    send(method, urlPath, body) {
      return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          {
            agent,
            host: server.hostname,
            port: server.port,
            method,
            path: urlPath,
            headers: { accept: 'application/json', ...(payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }) },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => {
              let message = '';
              let reason = '';
              try {
                const json = JSON.parse(text) as { kind?: string; message?: string; reason?: string };
                if (json.kind === 'Status') {
                  message = json.message ?? '';
                  reason = json.reason ?? '';
                }
              } catch {
                message = text;
              }
              resolve({ status: res.statusCode ?? 0, body: text, message, reason, warnings: parseWarnings(res.headers.warning) });
            });
          },
        );
        req.on('error', reject);
        if (payload !== undefined) req.write(payload);
        req.end();
      });
    },
  };
}

/** RFC 7234 Warning headers (`299 - "text"`), as the API server sends them; Node joins repeated headers with ", ". */
function parseWarnings(header: string | string[] | undefined): string[] {
  const joined = Array.isArray(header) ? header.join(', ') : (header ?? '');
  const warnings: string[] = [];
  for (const match of joined.matchAll(/\d{3} \S+ "((?:[^"\\]|\\.)*)"/g)) warnings.push((match[1] ?? '').replace(/\\(.)/g, '$1'));
  return warnings;
}

const podSecurityWarnings = (warnings: readonly string[]) => warnings.filter((warning) => warning.startsWith('would violate PodSecurity'));

const resourcePaths: Record<string, (namespace: string) => string> = {
  Pod: (ns) => `/api/v1/namespaces/${ns}/pods`,
  ReplicationController: (ns) => `/api/v1/namespaces/${ns}/replicationcontrollers`,
  PodTemplate: (ns) => `/api/v1/namespaces/${ns}/podtemplates`,
  Service: (ns) => `/api/v1/namespaces/${ns}/services`,
  ServiceAccount: (ns) => `/api/v1/namespaces/${ns}/serviceaccounts`,
  ConfigMap: (ns) => `/api/v1/namespaces/${ns}/configmaps`,
  Deployment: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`,
  ReplicaSet: (ns) => `/apis/apps/v1/namespaces/${ns}/replicasets`,
  DaemonSet: (ns) => `/apis/apps/v1/namespaces/${ns}/daemonsets`,
  StatefulSet: (ns) => `/apis/apps/v1/namespaces/${ns}/statefulsets`,
  Job: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`,
  CronJob: (ns) => `/apis/batch/v1/namespaces/${ns}/cronjobs`,
};

async function dryRunCreate(client: RawClient, object: Record<string, unknown> & { kind: string }, namespace: string): Promise<ApiResponse> {
  const pathOf = resourcePaths[object.kind];
  if (pathOf === undefined) throw new Error(`no API path for ${object.kind}`);
  const metadata = { ...(object.metadata as Record<string, unknown>), namespace };
  return client.send('POST', `${pathOf(namespace)}?dryRun=All`, { ...object, metadata });
}

async function inPool<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

// ------------------------------------------------------------------ fixtures and corpus

interface Fixture {
  level: 'baseline' | 'restricted';
  minor: number;
  outcome: 'pass' | 'fail';
  name: string;
  pod: Record<string, unknown> & { kind: string; apiVersion: string; metadata: Record<string, unknown>; spec: Record<string, unknown> };
}

function loadFixtures(level: 'baseline' | 'restricted', minor: number): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const outcome of ['pass', 'fail'] as const) {
    const dir = path.join(fixturesRoot, level, `v1.${minor}`, outcome);
    for (const file of readdirSync(dir).sort()) {
      const pod = parse(readFileSync(path.join(dir, file), 'utf8')) as Fixture['pod'];
      // Fixture names use underscores (base_linux); object names must be DNS subdomains.
      const name = file.replace(/\.yaml$/, '').replace(/_/g, '-');
      fixtures.push({ level, minor, outcome, name, pod: { ...pod, metadata: { ...pod.metadata, name } } });
    }
  }
  return fixtures;
}

function loadCorpus(): SourcedObject[] {
  const objects: SourcedObject[] = [];
  for (const file of readdirSync(corpusRoot).filter((name) => name.endsWith('.yaml')).sort()) {
    parseAllDocuments(readFileSync(path.join(corpusRoot, file), 'utf8')).forEach((document, index) => {
      const value: unknown = document.toJS();
      if (value === null) return;
      objects.push({ object: kubeObjectSchema.parse(value), origin: { kind: 'file', path: `test/corpus/${file}`, document: index, line: 1 } });
    });
  }
  return objects;
}

function deploymentWrapping(pod: Fixture['pod']): Record<string, unknown> & { kind: string } {
  const annotations = pod.metadata.annotations;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: pod.metadata.name },
    spec: {
      selector: { matchLabels: { test: 'true' } },
      template: { metadata: { labels: { test: 'true' }, ...(annotations === undefined ? {} : { annotations }) }, spec: pod.spec },
    },
  };
}

/** The Pod a controller would create: its template's metadata and spec, under a name of our own. */
function podFromTemplate(object: Record<string, unknown>, kind: string, name: string): (Record<string, unknown> & { kind: string }) | null {
  const at = (value: unknown, key: string): unknown => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined);
  const template = kind === 'CronJob' ? at(at(at(at(object, 'spec'), 'jobTemplate'), 'spec'), 'template') : kind === 'PodTemplate' ? at(object, 'template') : at(at(object, 'spec'), 'template');
  if (template === undefined) return null;
  const spec = { ...(at(template, 'spec') as Record<string, unknown>) };
  // ServiceAccount admission runs before PodSecurity and rejects unknown accounts; PodSecurity does not read it.
  delete spec.serviceAccountName;
  if (kind === 'Job' || kind === 'CronJob') spec.restartPolicy = 'Never';
  // The StatefulSet controller adds a PersistentVolumeClaim volume per claim template.
  const claims = kind === 'StatefulSet' ? at(at(object, 'spec'), 'volumeClaimTemplates') : undefined;
  if (Array.isArray(claims)) {
    const volumes = Array.isArray(spec.volumes) ? [...(spec.volumes as unknown[])] : [];
    for (const claim of claims) {
      const claimName = String(at(at(claim, 'metadata'), 'name'));
      volumes.push({ name: claimName, persistentVolumeClaim: { claimName: `${claimName}-${name}` } });
    }
    spec.volumes = volumes;
  }
  const metadata = (at(template, 'metadata') as Record<string, unknown> | undefined) ?? {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { ...metadata, name }, spec };
}

// ------------------------------------------------------------------ the test

let cp: ControlPlane;
let client: RawClient;
let configuration: PodSecurityConfiguration;
let latestVersion: number;

const fixtureLevels = ['baseline', 'restricted'] as const;
const fixtureMinors = Array.from({ length: 38 }, (_, minor) => minor);
const fixtureNamespace = (level: string, minor: number) => `pss-${level}-v1-${minor}`;

interface CorpusNamespace {
  name: string;
  labels: Record<string, string>;
}
const corpusNamespaces: CorpusNamespace[] = [
  { name: 'corpus-defaults', labels: {} },
  { name: 'corpus-baseline', labels: { 'pod-security.kubernetes.io/enforce': 'baseline' } },
  { name: 'corpus-restricted', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
  { name: 'corpus-restricted-v1-24', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.24' } },
  {
    name: 'corpus-baseline-v1-33-warn-restricted-v1-29',
    labels: {
      'pod-security.kubernetes.io/enforce': 'baseline',
      'pod-security.kubernetes.io/enforce-version': 'v1.33',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.29',
    },
  },
  { name: 'corpus-restricted-v1-99', labels: { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.99' } },
  { name: 'corpus-privileged-warn-baseline', labels: { 'pod-security.kubernetes.io/enforce': 'privileged', 'pod-security.kubernetes.io/warn': 'baseline' } },
  { name: 'pss-exempt', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
];

beforeAll(async () => {
  const parsed = parseAdmissionConfig(admissionConfigText);
  if (parsed.kind !== 'configuration') throw new Error(`admission config: ${JSON.stringify(parsed)}`);
  configuration = parsed.configuration;
  cp = await startControlPlane({ files: { 'psa.yaml': admissionConfigText }, extraApiServerArgs: ['--admission-control-config-file={dir}/psa.yaml'] });
  client = rawClient(cp);
  latestVersion = latestVersionForKubernetes(Number(/^v1\.(\d+)\./.exec(cp.gitVersion)?.[1]));

  const namespaces: CorpusNamespace[] = [...corpusNamespaces];
  for (const level of fixtureLevels) {
    for (const minor of fixtureMinors) {
      namespaces.push({
        name: fixtureNamespace(level, minor),
        labels: {
          'pod-security.kubernetes.io/enforce': level,
          'pod-security.kubernetes.io/enforce-version': `v1.${minor}`,
          'pod-security.kubernetes.io/warn': level,
          'pod-security.kubernetes.io/warn-version': `v1.${minor}`,
        },
      });
    }
  }
  await inPool(namespaces, 6, async ({ name, labels }) => {
    const created = await client.send('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } });
    if (created.status !== 201) throw new Error(`namespace ${name}: ${created.status} ${created.message}`);
  });
  const runtimeClass = await client.send('POST', '/apis/node.k8s.io/v1/runtimeclasses', { apiVersion: 'node.k8s.io/v1', kind: 'RuntimeClass', metadata: { name: 'kata' }, handler: 'kata' });
  if (runtimeClass.status !== 201) throw new Error(`runtimeclass: ${runtimeClass.message}`);
  await inPool(namespaces, 6, ({ name }) => cp.waitForServiceAccount(name, 'default', 120_000));
}, 600_000);

afterAll(async () => {
  await cp?.stop();
});

/** Tallies for the report at the end. */
const tally = { pods: 0, podsRejected: 0, controllers: 0, warnings: 0, invalidBeforeAdmission: [] as string[] };

describe('upstream fixtures against the API server', () => {
  const cases = fixtureLevels.flatMap((level) => fixtureMinors.map((minor) => [`${level} v1.${minor}`, level, minor] as const));

  it.each(cases)('%s: pods admitted exactly when kharden allows them, same messages; Deployments draw kharden\'s warnings', async (_label, level, minor) => {
    const namespaceName = fixtureNamespace(level, minor);
    const labels = {
      'pod-security.kubernetes.io/enforce': level,
      'pod-security.kubernetes.io/enforce-version': `v1.${minor}`,
      'pod-security.kubernetes.io/warn': level,
      'pod-security.kubernetes.io/warn-version': `v1.${minor}`,
    };
    const namespace = resolveNamespace(namespaceName, labels, configuration);
    const fixtures = loadFixtures(level, minor);
    const outcomes = await inPool(fixtures, 6, async (fixture) => {
      const extracted = extractPod(fixture.pod);
      if (extracted.kind !== 'pod') throw new Error(`${fixture.name}: ${extracted.kind}`);
      const asPod = admit(extracted.pod, true, namespace, configuration, { latestVersion });
      const asTemplate = admit(extracted.pod, false, namespace, configuration, { latestVersion });
      const podResponse = await dryRunCreate(client, fixture.pod, namespaceName);
      const deploymentResponse = await dryRunCreate(client, deploymentWrapping(fixture.pod), namespaceName);
      return { fixture, asPod, asTemplate, podResponse, deploymentResponse };
    });
    for (const { fixture, asPod, asTemplate, podResponse, deploymentResponse } of outcomes) {
      const label = `${level}/v1.${minor}/${fixture.outcome}/${fixture.name}`;
      if (podResponse.status === 422) {
        // Rejected by API validation, which runs before admission (procMount: Unmasked needs hostUsers: false from 1.35).
        tally.invalidBeforeAdmission.push(`${label}: ${podResponse.message}`);
        expect(asPod.enforce.allowed, label).toBe(false);
        expect(deploymentResponse.status, label).toBe(422);
        continue;
      }
      tally.pods++;
      tally.controllers++;
      expect({ label, accepted: podResponse.status === 201 }).toEqual({ label, accepted: asPod.enforce.allowed });
      if (podResponse.status === 201) {
        expect(podSecurityWarnings(podResponse.warnings), label).toEqual(asPod.warnings);
      } else {
        tally.podsRejected++;
        expect(podResponse.status, label).toBe(403);
        expect(podResponse.message, label).toBe(forbiddenStatusMessage('pods', fixture.name, asPod.enforce.message ?? ''));
      }
      expect(deploymentResponse.status, label).toBe(201);
      const warnings = podSecurityWarnings(deploymentResponse.warnings);
      tally.warnings += warnings.length;
      expect(warnings, label).toEqual(asTemplate.warnings);
      // Upstream's own expectation: a pass pod draws no warning, a fail pod's Deployment draws one (for the
      // policy versions this server knows; newer ones are evaluated as its latest).
      if (minor <= latestVersion) expect(warnings.length > 0, label).toBe(fixture.outcome === 'fail');
    }
  });
});

describe('a corpus of realistic workloads against the API server', () => {
  const corpus = loadCorpus();

  it.each(corpusNamespaces.map((namespace) => [namespace.name, namespace] as const))('namespace %s', async (_name, namespace) => {
    const namespaceInputs = new Map<string, NamespaceInput>([[namespace.name, { labels: namespace.labels, seen: true }]]);
    const placed: SourcedObject[] = corpus.map(({ object, origin }) => ({ object: { ...object, metadata: { ...object.metadata, namespace: namespace.name } }, origin }));
    // A pod with an exempt runtime class is admitted anywhere.
    const kata = corpus.find(({ object }) => object.metadata.name === 'node-debugger');
    if (kata !== undefined) {
      const spec = (kata.object as { spec?: Record<string, unknown> }).spec ?? {};
      const object = { ...kata.object, metadata: { ...kata.object.metadata, name: 'node-debugger-kata', namespace: namespace.name }, spec: { ...spec, runtimeClassName: 'kata' } };
      placed.push({ object, origin: kata.origin });
    }
    const report = assessWorkloads(placed, [], namespaceInputs, {
      configuration,
      configurationGiven: true,
      latestVersion,
      defaultNamespace: namespace.name,
      generatedAt: new Date().toISOString(),
      kharden: 'test',
    });
    expect(report.problems).toEqual([]);

    const evaluated = new Map(report.objects.map((result) => [`${result.kind}/${result.name}`, result]));
    const outcomes = await inPool(placed, 6, async ({ object }) => {
      const raw = object as unknown as Record<string, unknown> & { kind: string };
      const response = await dryRunCreate(client, raw, namespace.name);
      const result = evaluated.get(`${object.kind}/${object.metadata.name ?? ''}`);
      const podName = `${object.metadata.name ?? 'x'}-pod`;
      const templatePod = object.kind !== 'Pod' && result !== undefined ? podFromTemplate(raw, object.kind, podName) : null;
      const podResponse = templatePod === null ? null : await dryRunCreate(client, templatePod, namespace.name);
      return { object, result, response, podName, podResponse };
    });

    for (const { object, result, response, podName, podResponse } of outcomes) {
      const label = `${namespace.name}: ${object.kind} ${object.metadata.name ?? ''}`;
      expect(response.status === 422 ? `${label}: ${response.message}` : label).toBe(label);
      if (result === undefined) {
        // Not covered by Pod Security admission: created with no PodSecurity warning.
        expect(response.status, label).toBe(201);
        expect(podSecurityWarnings(response.warnings), label).toEqual([]);
        continue;
      }
      if (object.kind === 'Pod') {
        tally.pods++;
        expect({ label, accepted: response.status === 201 }).toEqual({ label, accepted: result.allowed });
        if (response.status === 201) expect(podSecurityWarnings(response.warnings), label).toEqual(result.warnings);
        else expect(response.message, label).toBe(result.apiError);
        continue;
      }
      tally.controllers++;
      expect(response.status, label).toBe(201);
      expect(podSecurityWarnings(response.warnings), label).toEqual(result.warnings);
      tally.warnings += result.warnings.length;
      // kharden's verdict on a controller is the verdict its pods get: create one of them.
      if (podResponse === null) throw new Error(`${label}: no pod template`);
      tally.pods++;
      expect({ label, accepted: podResponse.status === 201, message: podResponse.status === 201 ? null : podResponse.message }).toEqual({
        label,
        accepted: result.allowed,
        message: result.message === null ? null : forbiddenStatusMessage('pods', podName, result.message),
      });
    }
  });

  it('kharden pss --cluster reads the workloads and labels from the API and judges them as the server does', async () => {
    const namespace = 'cluster-read';
    const created = await client.send('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    });
    expect(created.status).toBe(201);
    await cp.waitForServiceAccount(namespace);
    const pick = (name: string) => {
      const found = corpus.find(({ object }) => object.kind === 'Deployment' && object.metadata.name === name);
      if (found === undefined) throw new Error(name);
      return { ...found.object, metadata: { name, namespace } } as unknown as Record<string, unknown> & { kind: string };
    };
    for (const name of ['nginx', 'traefik']) {
      const response = await client.send('POST', `/apis/apps/v1/namespaces/${namespace}/deployments`, pick(name));
      expect(response.status, response.message).toBe(201);
    }
    // The ReplicaSet controller tries to create nginx's pods and records why it cannot.
    let failedCreate = '';
    for (let attempt = 0; attempt < 60 && failedCreate === ''; attempt++) {
      const events = await client.send('GET', `/api/v1/namespaces/${namespace}/events?fieldSelector=reason%3DFailedCreate`);
      const items = (JSON.parse(events.body) as { items: Array<{ message?: string }> }).items;
      failedCreate = items.find((item) => (item.message ?? '').includes('violates PodSecurity'))?.message ?? '';
      if (failedCreate === '') await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(failedCreate).not.toBe('');

    const output = path.join(cp.dir, 'pss-cluster.json');
    const { main } = await import('../../src/cli/main.ts');
    const code = await main(['pss', '--cluster', '--kubeconfig', cp.kubeconfigPath, '-n', namespace, '-f', 'json', '-o', output]);
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(output, 'utf8')) as { latest: unknown; notices: string[]; objects: Array<{ kind: string; name: string; allowed: boolean; message: string | null; source: unknown }> };
    expect(report.latest).toEqual({ version: 'v1.35', kubernetes: '1.35' });
    const deployments = report.objects.filter((object) => object.kind === 'Deployment');
    expect(deployments.map((object) => [object.name, object.allowed])).toEqual([
      ['nginx', false],
      ['traefik', true],
    ]);
    expect(deployments[0]?.source).toEqual({ kind: 'cluster', server: cp.server });
    // The event names the generated pod; the rest is kharden's message, word for word.
    expect(failedCreate).toMatch(/^Error creating: pods "nginx-[a-z0-9]+-[a-z0-9]+" is forbidden: /);
    expect(failedCreate.replace(/^Error creating: pods "[^"]+" is forbidden: /, '')).toBe(deployments[0]?.message);
    // Its ReplicaSet is evaluated too, as the API server would on create.
    expect(report.objects.some((object) => object.kind === 'ReplicaSet' && object.name.startsWith('nginx-') && !object.allowed)).toBe(true);
  });

  it('compared every object', () => {
    process.stderr.write(
      `pss-admission: ${tally.pods} pods (${tally.podsRejected} fixture pods rejected), ${tally.controllers} controllers, ${tally.warnings} PodSecurity warnings compared; ` +
        `${tally.invalidBeforeAdmission.length} fixtures rejected by API validation before admission:\n  ${tally.invalidBeforeAdmission.join('\n  ')}\n`,
    );
    expect(tally.pods).toBeGreaterThan(4500);
  });
});
