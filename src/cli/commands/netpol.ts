import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { Document, parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseClusterSnapshot } from '../../collect/cluster-snapshot.ts';
import { readSnapshotText } from '../../collect/snapshot.ts';
import { fileErrorReason } from '../../collect/file-error.ts';
import { loadManifests, readProcessStdin } from '../../collect/manifests.ts';
import { writeTextFileAtomically } from '../../core/atomic-text-file.ts';
import { collectError, inputError, usageError } from '../../core/errors.ts';
import { khardenVersion } from '../../core/version.ts';
import type { ClusterFacts, ClusterKindName } from '../../facts/cluster-facts.ts';
import { type ObjectProblem, type SourcedObject, describeOrigin } from '../../facts/kube-object.ts';
import { CidrOptionError, type NetpolAnalysis, analyzeObjects, k3sDefaultClusterCidr, k3sDefaultServiceCidr } from '../../netpol/analysis.ts';
import { parsePortReference, resolveEndpoint } from '../../netpol/endpoint-reference.ts';
import { checkFlows, checkPairs, type FlowSpec, flowSchema, flowsFileSchema, flowsObjectSchema } from '../../netpol/flows.ts';
import { describeProblem } from '../../netpol/input-problem.ts';
import { countBySeverity, type LintFinding, lintPolicies, type LintSeverity } from '../../netpol/lint/index.ts';
import { buildMatrixView, type MatrixGrouping, type PortProbe } from '../../netpol/matrix-view.ts';
import { explanationLines, flowTitle, verdictWord } from '../../netpol/render/explain-render.ts';
import { renderMatrixCsv, renderMatrixJson, renderMatrixText } from '../../netpol/render/matrix-render.ts';
import { checkSuggestion } from '../../netpol/suggest-check.ts';
import { type SuggestOptions, suggestPolicies } from '../../netpol/suggest.ts';
import { exitCodes } from '../exit-code.ts';
import { collectRepeated, parseExitCode, writeOutput } from '../output.ts';
import type { Runner } from '../runner.ts';
import { type Terminal, colorEnabled, processTerminal, progressEnabled } from '../terminal.ts';

interface InputFlags {
  manifests?: string[];
  snapshot?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
  clusterCidr?: string[];
  serviceCidr?: string[];
  format: string;
  output?: string;
  color: boolean;
}

const inputHelp = `
Input (one of):
  PATH... / --manifests PATH   manifest files or directories (- for stdin): Namespaces, Pods, workloads
                               (their pod templates stand for their pods), NetworkPolicies
  --snapshot FILE              a cluster snapshot (kharden collect --cluster -o FILE), or a JSON/YAML list
  --cluster                    the cluster, through the API (--kubeconfig, --context as kubectl)`;

function addInputOptions(command: Command, positional: boolean): Command {
  if (positional) command.argument('[paths...]', 'manifest files or directories (- for stdin); the same as --manifests');
  return command
    .option('--manifests <path>', 'manifest file, directory or - (repeatable)', collectRepeated)
    .option('--snapshot <file>', 'cluster snapshot (kharden collect --cluster) or a JSON/YAML list of objects')
    .option('--cluster', 'read the cluster through the Kubernetes API')
    .option('--kubeconfig <file>', 'kubeconfig for --cluster (as kubectl)')
    .option('--context <name>', 'kubeconfig context for --cluster')
    .option('-n, --namespace <ns>', 'only this namespace (repeatable); manifests: also the namespace of objects that name none', collectRepeated)
    .option('-A, --all-namespaces', 'every namespace (the default)')
    .option('--cluster-cidr <cidr>', `the cluster's pod range (repeatable; default k3s ${k3sDefaultClusterCidr})`, collectRepeated)
    .option('--service-cidr <cidr>', `the cluster's service range (repeatable; default k3s ${k3sDefaultServiceCidr})`, collectRepeated)
    .option('-o, --output <file>', 'write to FILE instead of stdout')
    .option('--no-color', 'no colours (also NO_COLOR)');
}

function terminalFor(flags: InputFlags): Terminal {
  const machine = flags.format !== 'text';
  const isTTY = process.stdout.isTTY === true && flags.output === undefined;
  return processTerminal({
    color: !machine && colorEnabled({ noColorFlag: !flags.color, env: process.env, isTTY }),
    progress: progressEnabled(process.env, process.stderr.isTTY === true, machine),
  });
}

const netpolKinds: ClusterKindName[] = [
  'Namespace',
  'Pod',
  'ReplicationController',
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'CronJob',
  'NetworkPolicy',
  'Service',
  'Ingress',
  'RoleBinding',
  'ClusterRoleBinding',
];

interface LoadedInput {
  objects: SourcedObject[];
  problems: ObjectProblem[];
  notes: string[];
  /** Where the objects came from, for headers. */
  source: string;
}

async function loadInput(flags: InputFlags, positional: readonly string[], terminal: Terminal): Promise<LoadedInput> {
  const paths = [...(flags.manifests ?? []), ...positional];
  const chosen = [paths.length > 0, flags.snapshot !== undefined, flags.cluster === true].filter(Boolean).length;
  if (chosen === 0) throw usageError('nothing to analyse: give manifest paths (or --manifests PATH, - for stdin), --snapshot FILE or --cluster');
  if (chosen > 1) throw usageError('give one input: manifest paths, --snapshot FILE or --cluster');
  if (paths.length > 0) {
    terminal.progress(`reading ${paths.join(', ')}`);
    const set = await loadManifests(paths);
    return { objects: set.objects, problems: set.problems, notes: [], source: paths.join(', ') };
  }
  if (flags.snapshot !== undefined) {
    const file = flags.snapshot;
    const text = await readSnapshotText(file);
    if (snapshotKind(text) === 'ClusterFacts') return fromFacts(parseClusterSnapshot(text, file), `snapshot ${file}`);
    const set = await loadManifests([file]);
    return { objects: set.objects, problems: set.problems, notes: [], source: file };
  }
  // Loaded only when needed: the Kubernetes client takes about a second to import.
  const { collectClusterFacts } = await import('../../collect/cluster.ts');
  const facts = await collectClusterFacts({
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    kinds: netpolKinds,
    progress: terminal.progress,
  });
  return fromFacts(facts, facts.server === null ? 'the cluster' : `cluster ${facts.server.url}`);
}

function snapshotKind(text: string): string | null {
  try {
    const value: unknown = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text);
    if (typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string') return value.kind;
  } catch {
    // loadManifests reports syntax errors with the file and line.
  }
  return null;
}

/** Objects of a ClusterFacts; a kind that could not be read is a gap that would make answers wrong. */
function fromFacts(facts: ClusterFacts, source: string): LoadedInput {
  const notes = [...facts.notes];
  for (const access of facts.access) {
    if (!(netpolKinds as string[]).includes(access.kind) || access.state === 'listed' || access.state === 'files' || access.state === 'skipped') continue;
    const why = access.missing !== undefined ? `forbidden (needs ${access.missing.verb} ${access.missing.resource})` : access.state === 'not-served' ? 'not served' : (access.message ?? access.state);
    if (access.kind === 'NetworkPolicy' || access.kind === 'Namespace') {
      throw collectError(`${access.kind} objects could not be read from ${source}: ${why}; reachability cannot be judged without them`);
    }
    notes.push(`${access.kind} objects could not be read (${why}): their pods are missing from the analysis`);
  }
  return { objects: facts.objects, problems: facts.problems, notes, source };
}

function analysisOf(input: LoadedInput, flags: InputFlags): NetpolAnalysis {
  const split = (values: string[] | undefined): string[] | undefined => values?.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== '');
  const clusterCidrs = split(flags.clusterCidr);
  const serviceCidrs = split(flags.serviceCidr);
  try {
    return analyzeObjects(input.objects, {
      defaultNamespace: flags.namespace?.[0] ?? 'default',
      ...(clusterCidrs === undefined ? {} : { clusterCidrs }),
      ...(serviceCidrs === undefined ? {} : { serviceCidrs }),
    });
  } catch (error) {
    if (error instanceof CidrOptionError) throw usageError(error.message);
    throw error;
  }
}

/** Problems and notes on stderr (text), so that stdout stays the answer. */
function reportProblems(terminal: Terminal, input: LoadedInput, analysis: NetpolAnalysis): void {
  for (const problem of input.problems) terminal.err(`kharden: warning: ${describeOrigin(problem.origin)}: ${problem.message}\n`);
  for (const problem of analysis.problems) terminal.err(`kharden: warning: ${describeProblem(problem)}\n`);
  for (const note of input.notes) terminal.err(`kharden: note: ${note}\n`);
  const undeclared = [...analysis.inventory.namespaces.values()].filter((info) => !info.declared).map((info) => info.name);
  const usesOtherLabels = analysis.policies.some((policy) =>
    [...policy.ingress, ...policy.egress].some((rule) =>
      rule.peers?.some(
        (peer) =>
          peer.kind === 'pods' &&
          peer.namespaceSelector !== null &&
          [...Object.keys(peer.namespaceSelector.matchLabels), ...peer.namespaceSelector.matchExpressions.map((requirement) => requirement.key)].some(
            (key) => key !== 'kubernetes.io/metadata.name',
          ),
      ),
    ),
  );
  if (undeclared.length > 0 && usesOtherLabels) {
    terminal.err(
      `kharden: note: no Namespace object for ${undeclared.slice(0, 5).join(', ')}${undeclared.length > 5 ? ', ...' : ''} in the input: only their kubernetes.io/metadata.name label is known to namespaceSelectors\n`,
    );
  }
}

function problemsJson(input: LoadedInput, analysis: NetpolAnalysis): unknown[] {
  return [
    ...input.problems.map((problem) => ({ origin: problem.origin, message: problem.message })),
    ...analysis.problems.map((problem) => ({ object: problem.object, field: problem.field ?? null, message: problem.message, consequence: problem.consequence, origin: problem.origin })),
  ];
}

function inputSummary(analysis: NetpolAnalysis, source: string): string {
  const pods = analysis.inventory.endpoints.filter((endpoint) => endpoint.kind === 'pod').length;
  const templates = analysis.inventory.endpoints.filter((endpoint) => endpoint.kind === 'workload').length;
  const left = analysis.problems.filter((problem) => problem.object.startsWith('NetworkPolicy ') && problem.field !== undefined);
  const invalid = new Set(left.map((problem) => problem.object)).size;
  return `${source}: ${pods} pod(s)${templates > 0 ? ` and ${templates} workload template(s)` : ''} in ${analysis.inventory.namespaces.size} namespace(s), ${analysis.policies.length} NetworkPolicy(ies)${invalid > 0 ? ` (${invalid} invalid, left out)` : ''}`;
}

function colorVerdicts(text: string, terminal: Terminal): string {
  const { green, red, yellow } = terminal.colors;
  return text.replace(/\b(ALLOWED|DENIED|UNDECIDED|MIXED|FAIL|ok)\b/g, (word) =>
    word === 'ALLOWED' || word === 'ok' ? green(word) : word === 'DENIED' || word === 'FAIL' ? red(word) : yellow(word),
  );
}

// ---- matrix ------------------------------------------------------------------------------------

interface MatrixFlags extends InputFlags {
  by: MatrixGrouping;
  port?: string[];
  k3s?: boolean;
}

function parseProbes(values: readonly string[] | undefined): PortProbe[] | null {
  if (values === undefined) return null;
  return values
    .flatMap((value) => value.split(','))
    .map((text) => {
      const reference = parsePortReference(text.trim());
      if ('error' in reference) throw usageError(`--port ${text}: ${reference.error}`);
      if (typeof reference.port !== 'number') throw usageError(`--port ${text}: the matrix needs a port number (named ports differ per destination; use explain)`);
      return { port: reference.port, protocol: reference.protocol };
    });
}

async function runMatrix(positional: string[], flags: MatrixFlags): Promise<number> {
  const probes = parseProbes(flags.port);
  const terminal = terminalFor(flags);
  const input = await loadInput(flags, positional, terminal);
  const analysis = analysisOf(input, flags);
  if (flags.format === 'text') reportProblems(terminal, input, analysis);
  terminal.progress(`computing the ${flags.by} matrix`);
  const namespaces = flags.namespace ?? null;
  const view = buildMatrixView(analysis, { by: flags.by, probes, namespaces, semantics: flags.k3s === true ? 'kube-router' : 'spec' });
  let pieces: Iterable<string>;
  if (flags.format === 'json') {
    pieces = renderMatrixJson(view, { kharden: khardenVersion, source: input.source, namespaces, problems: problemsJson(input, analysis), notes: input.notes });
  } else if (flags.format === 'csv') {
    pieces = renderMatrixCsv(view);
  } else {
    const header = `${inputSummary(analysis, input.source)}\nreachability by ${flags.by}${flags.k3s === true ? ' as k3s (kube-router) enforces it' : ''}: ${view.labels.length} ${flags.by === 'pod' ? 'pod(s)/template(s)' : `${flags.by}(s)`}, ${view.classes} class(es) of equivalent pods`;
    pieces = renderMatrixText(view, header);
  }
  await writeStreamed(pieces, flags.output);
  return exitCodes.ok;
}

/**
 * Writes a large output in batches, waiting for stdout to drain (a pipe buffers in memory otherwise);
 * to a file atomically (temporary file, fsync, rename), as writeOutput does for small outputs.
 */
async function writeStreamed(pieces: Iterable<string>, file: string | undefined): Promise<void> {
  const batches = function* (): Generator<string> {
    let batch = '';
    for (const piece of pieces) {
      batch += piece;
      if (batch.length >= 1 << 18) {
        yield batch;
        batch = '';
      }
    }
    if (batch !== '') yield batch;
  };
  if (file === undefined || file === '-') {
    for (const batch of batches()) if (!process.stdout.write(batch)) await once(process.stdout, 'drain');
    return;
  }
  await writeTextFileAtomically(file, batches(), { mode: 0o644 });
}

// ---- explain -----------------------------------------------------------------------------------

async function runExplain(from: string, to: string, portText: string, positional: string[], flags: InputFlags): Promise<number> {
  const reference = parsePortReference(portText);
  if ('error' in reference) throw usageError(reference.error);
  const terminal = terminalFor(flags);
  const input = await loadInput(flags, positional, terminal);
  const analysis = analysisOf(input, flags);
  if (flags.format === 'text') reportProblems(terminal, input, analysis);
  const sources = resolveEndpoint(analysis, from);
  const destinations = resolveEndpoint(analysis, to);
  for (const resolution of [sources, destinations]) if (!resolution.ok) throw inputError(resolution.message);
  if (!sources.ok || !destinations.ok) return exitCodes.usage;
  const result = checkPairs(analysis, sources.endpoints, destinations.endpoints, reference);
  if ('error' in result) throw inputError(result.error);
  const answers = new Set(result.pairs.map((pair) => pair.explanation.verdict.allowed));
  const overall = answers.size === 1 ? [...answers][0] ?? 'no' : answers.has('yes') && answers.has('no') ? 'mixed' : 'maybe';
  let text: string;
  if (flags.format === 'json') {
    text = `${JSON.stringify(
      {
        apiVersion: 'kharden.dev/v1',
        kind: 'NetpolExplanation',
        kharden: khardenVersion,
        from,
        to,
        port: reference.port,
        protocol: reference.protocol,
        allowed: overall,
        pairs: result.pairs.map((pair) => ({ from: pair.from, to: pair.to, port: pair.port, protocol: pair.protocol, ...pair.explanation })),
        notes: [sources.note, destinations.note].filter((note) => note !== null),
        problems: problemsJson(input, analysis),
      },
      null,
      2,
    )}\n`;
  } else {
    const lines: string[] = [];
    for (const note of [sources.note, destinations.note]) if (note !== null) lines.push(`(${note})`);
    if (result.pairs.length > 1) lines.push(`${from} -> ${to} on ${portText}: ${verdictWord(overall)} (${result.pairs.length} pod pairs)`, '');
    // Pairs with the same verdict and the same deciding rules read alike: show each distinct story once.
    const seen = new Map<string, number>();
    for (const pair of result.pairs) {
      const key = JSON.stringify([pair.explanation.verdict.allowed, pair.explanation.verdict.egress.isolatedBy, pair.explanation.verdict.ingress.isolatedBy, pair.explanation.verdict.egress.rules.map((rule) => rule.allows), pair.explanation.verdict.ingress.rules.map((rule) => rule.allows), pair.explanation.notes]);
      const count = seen.get(key);
      if (count !== undefined) {
        seen.set(key, count + 1);
        continue;
      }
      seen.set(key, 1);
      lines.push(...explanationLines(pair.explanation), '');
    }
    const repeated = [...seen.values()].reduce((sum, count) => sum + count - 1, 0);
    if (repeated > 0) lines.push(`(${repeated} other pod pair(s) have the same explanation as one above)`);
    text = colorVerdicts(`${lines.join('\n').trimEnd()}\n`, terminal);
  }
  await writeOutput(text, flags.output, terminal.out);
  return exitCodes.ok;
}

// ---- assert ------------------------------------------------------------------------------------

interface AssertFlags extends InputFlags {
  verbose?: boolean;
  exitCode: number;
  k3s?: boolean;
}

async function readFlows(file: string): Promise<FlowSpec[]> {
  let text: string;
  try {
    text = file === '-' ? await readProcessStdin() : await readFile(file, 'utf8');
  } catch (error) {
    throw inputError(`cannot read flows file ${file}: ${fileErrorReason(error)}`, error);
  }
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw inputError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`, error);
  }
  const parsed = (Array.isArray(value) ? z.array(flowSchema) : typeof value === 'object' && value !== null && 'flows' in value ? flowsObjectSchema : flowsFileSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : issue.path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
    throw inputError(
      `${file}: not a flows file${where === '' ? '' : ` at ${where.replace(/^\./, '')}`}: ${issue?.message ?? 'invalid'} (expected a list of {from, to, port, protocol?, expect: allow|deny}, or {flows: [...]})`,
    );
  }
  return Array.isArray(parsed.data) ? parsed.data : parsed.data.flows;
}

async function runAssert(flowsFile: string, positional: string[], flags: AssertFlags): Promise<number> {
  const failCode = flags.exitCode;
  const flows = await readFlows(flowsFile);
  const terminal = terminalFor(flags);
  const input = await loadInput(flags, positional, terminal);
  const analysis = analysisOf(input, flags);
  if (flags.format === 'text') reportProblems(terminal, input, analysis);
  const { checks, errors } = checkFlows(analysis, flows, flags.k3s === true ? 'kube-router' : 'spec');
  if (errors.length > 0) {
    throw inputError(errors.map((error) => `${flowsFile}: flow ${error.index + 1} (${flows[error.index]?.from ?? '?'} -> ${flows[error.index]?.to ?? '?'}): ${error.message}`).join('\n'));
  }
  const failed = checks.filter((check) => !check.holds);
  let text: string;
  if (flags.format === 'json') {
    text = `${JSON.stringify(
      {
        apiVersion: 'kharden.dev/v1',
        kind: 'NetpolAssertion',
        kharden: khardenVersion,
        semantics: flags.k3s === true ? 'kube-router' : 'spec',
        source: input.source,
        flowsFile,
        summary: { flows: checks.length, hold: checks.length - failed.length, fail: failed.length },
        flows: checks.map((check) => ({
          index: check.index,
          ...check.flow,
          holds: check.holds,
          allowed: check.allowed,
          k3sDiffers: check.k3sDiffers,
          note: check.note,
          pairs: check.pairs.map((pair) => ({ from: pair.from, to: pair.to, port: pair.port, protocol: pair.protocol, ...pair.explanation })),
        })),
        problems: problemsJson(input, analysis),
      },
      null,
      2,
    )}\n`;
  } else {
    const lines: string[] = [];
    for (const check of checks) {
      if (check.holds && flags.verbose !== true && !check.k3sDiffers) continue;
      lines.push(`${check.holds ? 'ok  ' : 'FAIL'} ${flowTitle(check)}`);
      if (check.note !== null) lines.push(`     (${check.note})`);
      if (!check.holds) {
        const answer = (pair: (typeof check.pairs)[number]) => (flags.k3s === true ? (pair.explanation.k3s ?? pair.explanation.verdict) : pair.explanation.verdict).allowed;
        const wrong = check.pairs.filter((pair) => (check.flow.expect === 'allow' ? answer(pair) !== 'yes' : answer(pair) !== 'no'));
        const first = wrong[0];
        if (first !== undefined) lines.push(...explanationLines(first.explanation, '     '));
        if (wrong.length > 1) lines.push(`     (and ${wrong.length - 1} more pod pair(s) that do not hold)`);
        lines.push('');
      } else if (check.k3sDiffers) {
        lines.push(
          flags.k3s === true
            ? '     the specification answers differently for this flow (kharden netpol explain says why)'
            : '     k3s (kube-router) answers differently for this flow: it would not hold on k3s (--k3s judges as k3s; kharden netpol explain says why)',
        );
      }
    }
    lines.push(`${checks.length} flow(s): ${checks.length - failed.length} hold, ${failed.length} do not`);
    text = colorVerdicts(`${lines.join('\n')}\n`, terminal);
  }
  await writeOutput(text, flags.output, terminal.out);
  return failed.length > 0 ? failCode : exitCodes.ok;
}

// ---- lint --------------------------------------------------------------------------------------

interface LintFlags extends InputFlags {
  failOn: 'error' | 'warning' | 'info' | 'never';
  skip?: string[];
}

function lintText(findings: readonly LintFinding[], header: string, terminal: Terminal): string {
  const { red, yellow, dim, bold } = terminal.colors;
  const lines = [header, ''];
  let namespace: string | null | undefined;
  for (const finding of findings) {
    if (finding.namespace !== namespace) {
      namespace = finding.namespace;
      lines.push(bold(namespace === null ? '(cluster)' : `namespace ${namespace}`));
    }
    const severity = finding.severity === 'error' ? red('error  ') : finding.severity === 'warning' ? yellow('warning') : dim('info   ');
    const where = [finding.policy === null ? null : `NetworkPolicy ${finding.policy}`, finding.field].filter((part) => part !== null).join(' ');
    lines.push(`  ${severity} ${finding.check}${where === '' ? '' : ` ${where}`}`);
    lines.push(`          ${finding.message}`);
    if (finding.k3s !== null) lines.push(`          k3s: ${finding.k3s}`);
    if (finding.origin !== null && finding.origin.kind === 'file') lines.push(dim(`          at ${describeOrigin(finding.origin)}`));
  }
  const counts = countBySeverity(findings);
  lines.push('', `${findings.length} finding(s): ${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info`);
  return `${lines.join('\n')}\n`;
}

async function runLint(positional: string[], flags: LintFlags): Promise<number> {
  const terminal = terminalFor(flags);
  const input = await loadInput(flags, positional, terminal);
  const analysis = analysisOf(input, flags);
  for (const problem of input.problems) if (flags.format === 'text') terminal.err(`kharden: warning: ${describeOrigin(problem.origin)}: ${problem.message}\n`);
  for (const note of input.notes) if (flags.format === 'text') terminal.err(`kharden: note: ${note}\n`);
  terminal.progress('linting');
  const findings = lintPolicies(analysis, { namespaces: flags.namespace ?? null, skip: flags.skip ?? [] });
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(
          {
            apiVersion: 'kharden.dev/v1',
            kind: 'NetpolLint',
            kharden: khardenVersion,
            source: input.source,
            clusterCidrs: analysis.clusterCidrs,
            serviceCidrs: analysis.serviceCidrs,
            summary: countBySeverity(findings),
            findings,
            notes: input.notes,
          },
          null,
          2,
        )}\n`
      : lintText(findings, `${inputSummary(analysis, input.source)}\npod range ${analysis.clusterCidrs.join(', ')}, service range ${analysis.serviceCidrs.join(', ')}`, terminal);
  await writeOutput(text, flags.output, terminal.out);
  const threshold: Record<LintFlags['failOn'], readonly LintSeverity[]> = {
    error: ['error'],
    warning: ['error', 'warning'],
    info: ['error', 'warning', 'info'],
    never: [],
  };
  return findings.some((finding) => threshold[flags.failOn].includes(finding.severity)) ? exitCodes.findings : exitCodes.ok;
}

// ---- suggest -----------------------------------------------------------------------------------

interface SuggestFlags extends InputFlags {
  profile: 'isolate' | 'k3s-guide';
  policyTypes: string;
  workloadFlows: boolean;
}

async function runSuggest(positional: string[], flags: SuggestFlags): Promise<number> {
  const namespaces = flags.namespace ?? [];
  if (namespaces.length !== 1 || namespaces[0] === undefined) throw usageError('suggest needs exactly one namespace: -n NAMESPACE');
  const namespace = namespaces[0];
  const types = flags.policyTypes.split(',').map((type) => type.trim());
  const policyTypes = types.map((type) => {
    const normal = type.toLowerCase() === 'ingress' ? 'Ingress' : type.toLowerCase() === 'egress' ? 'Egress' : null;
    if (normal === null) throw usageError(`--policy-types ${flags.policyTypes}: Ingress, Egress or both`);
    return normal;
  });
  const terminal = terminalFor(flags);
  const hasInput = positional.length > 0 || flags.manifests !== undefined || flags.snapshot !== undefined || flags.cluster === true;
  const input: LoadedInput = hasInput ? await loadInput(flags, positional, terminal) : { objects: [], problems: [], notes: [], source: 'no input' };
  const options: SuggestOptions = { profile: flags.profile, policyTypes, workloadFlows: flags.workloadFlows };
  const suggested = suggestPolicies(namespace, input.objects.map((entry) => entry.object), options);
  const check = checkSuggestion(namespace, input.objects, suggested, { defaultNamespace: namespace });
  const summary = [
    `${suggested.length} NetworkPolicy(ies) for namespace ${namespace} (profile ${flags.profile}) from ${input.source}`,
    check.invalid.length === 0 ? 'all valid for the API server' : `INVALID: ${check.invalid.join('; ')}`,
    flags.profile === 'isolate' && check.notIsolated.ingress.length + check.notIsolated.egress.length === 0 ? 'once applied, every pod of the namespace is isolated both ways' : null,
    policyTypes.includes('Egress') && flags.profile === 'isolate' ? (check.dnsBlocked.length === 0 ? 'DNS (kube-dns 53/UDP+TCP) stays reachable' : `DNS blocked for ${check.dnsBlocked.join(', ')}`) : null,
  ].filter((line) => line !== null);
  if (input.source !== 'no input' && flags.cluster === true) {
    summary.push('ConfigMaps and Endpoints are not read from the cluster (kharden reads no configuration data): Service names in ConfigMaps and the API server\'s own addresses are not followed; give manifests with them to add those flows');
  }
  let text: string;
  if (flags.format === 'json') {
    text = `${JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: {}, items: suggested.map((policy) => policy.object) }, null, 2)}\n`;
  } else {
    const documents = suggested.map((policy) => {
      const document = new Document(policy.object);
      if (document.contents !== null) document.contents.commentBefore = ` ${policy.purpose}`;
      return document.toString({ lineWidth: 0 });
    });
    text = `${summary.map((line) => `# ${line}`).join('\n')}\n---\n${documents.join('---\n')}`;
  }
  for (const note of input.notes) terminal.err(`kharden: note: ${note}\n`);
  if (flags.format === 'json' || flags.output !== undefined) for (const line of summary) terminal.err(`kharden: ${line}\n`);
  await writeOutput(text, flags.output, terminal.out);
  return check.invalid.length > 0 ? exitCodes.bug : exitCodes.ok;
}

// ---- registration ------------------------------------------------------------------------------

const formatOption = (choices: string[]) => new Option('-f, --format <format>', 'output format').choices(choices).default(choices[0]);

export function registerNetpol(program: Command, run: Runner): void {
  const netpol = program
    .command('netpol')
    .summary('who can reach whom under the NetworkPolicies, why, and what is wrong')
    .description(
      [
        'Analyses networking.k8s.io/v1 NetworkPolicies as the Kubernetes API defines them, offline or live:',
        '  matrix    reachability between pods, workloads or namespaces, per port and protocol',
        '  explain   one connection: allowed or denied, and which policy, rule and peer decide',
        '  assert    expected flows (a CI gate): exit 1 when one does not hold',
        '  lint      what is wrong or risky in the policy set',
        '  suggest   the minimal policies that isolate a namespace without breaking it',
        'Where k3s (kube-router) enforces a policy differently from the specification, the answer says so.',
      ].join('\n'),
    );

  addInputOptions(
    netpol
      .command('matrix')
      .description('Reachability matrix: rows are sources, columns destinations; a cell is the ports allowed (or allow/deny with --port)')
      .addOption(new Option('--by <grouping>', 'rows and columns').choices(['pod', 'workload', 'namespace']).default('pod'))
      .option('--port <port/proto>', 'judge these ports only, e.g. 80, 53/UDP (repeatable or comma-separated)', collectRepeated)
      .option('--k3s', 'answer as k3s (kube-router) enforces the policies, not as the specification says')
      .addOption(formatOption(['text', 'json', 'csv'])),
    true,
  )
    .addHelpText('after', `${inputHelp}\n\nExamples:\n  kharden netpol matrix deploy/ --by namespace\n  kharden netpol matrix --cluster -n shop --port 8080 -f csv`)
    .action(run(async (...args: unknown[]) => runMatrix((args[0] as string[] | undefined) ?? [], args[1] as MatrixFlags)));

  addInputOptions(
    netpol
      .command('explain')
      .description('Explain one connection FROM -> TO on PORT[/PROTOCOL]')
      .argument('<from>', 'namespace/pod, namespace/kind/name (a workload), or an IP address')
      .argument('<to>', 'namespace/pod, namespace/kind/name, or an IP address')
      .argument('<port>', 'PORT or PORT/PROTOCOL (TCP by default); a name is resolved on the destination pod, e.g. http or dns/UDP')
      .addOption(formatOption(['text', 'json'])),
    true,
  )
    .addHelpText('after', `${inputHelp}\n\nExamples:\n  kharden netpol explain shop/deployment/web data/postgres-0 5432 deploy/\n  kharden netpol explain shop/web-7d9f 8.8.8.8 53/UDP --cluster`)
    .action(
      run(async (...args: unknown[]) =>
        runExplain(args[0] as string, args[1] as string, args[2] as string, (args[3] as string[] | undefined) ?? [], args[4] as InputFlags),
      ),
    );

  addInputOptions(
    netpol
      .command('assert')
      .description('Check expected flows against the policies; exit 1 when one does not hold')
      .argument('<flows>', 'YAML list of {from, to, port, protocol?, expect: allow|deny, name?} (or {flows: [...]}); - for stdin')
      .addOption(formatOption(['text', 'json']))
      .option('-v, --verbose', 'list the flows that hold too')
      .option('--exit-code <n>', 'exit code when a flow does not hold', parseExitCode, exitCodes.findings)
      .option('--k3s', 'judge as k3s (kube-router) enforces the policies, not as the specification says'),
    true,
  )
    .addHelpText(
      'after',
      `${inputHelp}\n\nA flow between workloads holds only if it holds for every pod pair; an undecidable flow does not hold.\nExample flows.yaml:\n  - {from: shop/deployment/web, to: data/statefulset/postgres, port: 5432, expect: allow}\n  - {from: shop/deployment/web, to: 1.1.1.1, port: 443, expect: deny}\n  - {from: shop/deployment/web, to: kube-system/deployment/coredns, port: dns, protocol: UDP, expect: allow}`,
    )
    .action(run(async (...args: unknown[]) => runAssert(args[0] as string, (args[1] as string[] | undefined) ?? [], args[2] as AssertFlags)));

  addInputOptions(
    netpol
      .command('lint')
      .description('Find what is wrong or risky in the policy set; every finding names the policy and field')
      .addOption(formatOption(['text', 'json']))
      .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at least this severe').choices(['error', 'warning', 'info', 'never']).default('warning'))
      .option('--skip <check>', 'leave out checks whose id starts with this (repeatable), e.g. netpol.redundant-policy', collectRepeated),
    true,
  )
    .addHelpText('after', `${inputHelp}\n\nThe checks are listed in docs/netpol.md.`)
    .action(run(async (...args: unknown[]) => runLint((args[0] as string[] | undefined) ?? [], args[1] as LintFlags)));

  addInputOptions(
    netpol
      .command('suggest')
      .description('Print the minimal NetworkPolicies that isolate namespace -n NS without breaking it, as manifests')
      .addOption(new Option('--profile <profile>', 'isolate: default deny + what the namespace needs; k3s-guide: the k3s hardening guide set').choices(['isolate', 'k3s-guide']).default('isolate'))
      .option('--policy-types <types>', 'directions the default deny isolates: Ingress, Egress or Ingress,Egress', 'Ingress,Egress')
      .option('--no-workload-flows', 'only default deny, same-namespace and DNS; no flows derived from Services, Ingresses and configuration')
      .addOption(new Option('-f, --format <format>', 'output format').choices(['yaml', 'json']).default('yaml')),
    true,
  )
    .addHelpText('after', `${inputHelp}\n  (no input: the generic set)\n\nExample:\n  kharden netpol suggest -n shop deploy/ -o shop-netpol.yaml && kubectl apply -f shop-netpol.yaml`)
    .action(run(async (...args: unknown[]) => runSuggest((args[0] as string[] | undefined) ?? [], args[1] as SuggestFlags)));

  netpol.action(
    run(async () => {
      netpol.outputHelp();
      return exitCodes.usage;
    }),
  );
}

