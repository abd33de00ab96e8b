import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { runAudit } from '../../cis/engine.ts';
import { type ControlFilter, parseControlFilter } from '../../cis/filter.ts';
import { fleetReport } from '../../cis/fleet.ts';
import { auditCluster } from '../../cis/policies/cluster-audit.ts';
import { clusterAuditInput } from '../../cis/policies/index.ts';
import { collectClusterFacts } from '../../collect/cluster.ts';
import { clusterFactsFromManifests } from '../../collect/cluster-manifests.ts';
import { loadManifests, readProcessStdin } from '../../collect/manifests.ts';
import { collectNodeFacts } from '../../collect/node.ts';
import { parseSnapshot, readSnapshotText } from '../../collect/snapshot.ts';
import { parseClusterSnapshot } from '../../collect/cluster-snapshot.ts';
import type { Notice } from '../../core/audit-report.ts';
import { collectError, inputError, isKhardenError } from '../../core/errors.ts';
import type { ClusterFacts } from '../../facts/cluster-facts.ts';
import { describeOrigin } from '../../facts/kube-object.ts';
import type { NodeFacts } from '../../facts/node-facts.ts';
import { effectiveArgs } from '../../k3s/effective-args.ts';
import { renderAuditJson } from '../../report/audit-json.ts';
import { renderAuditText } from '../../report/audit-text.ts';
import { renderFleetText } from '../../report/fleet-text.ts';
import { exitCodes } from '../exit-code.ts';
import { collectRepeated, parseExitCode, writeOutput } from '../output.ts';
import { packageFile } from '../package-file.ts';
import { rootDirectory } from '../root-directory.ts';
import type { Runner } from '../runner.ts';
import { colorEnabled, processTerminal, progressEnabled, type Terminal } from '../terminal.ts';

interface AuditFlags {
  demo?: boolean;
  demoIfNoK3s?: boolean;
  snapshot?: string[];
  root?: string;
  configured?: boolean;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  manifests?: string[];
  autoCluster: boolean;
  benchmark?: string;
  targets?: string[];
  check?: string[];
  skip?: string[];
  format: 'text' | 'json';
  output?: string;
  color: boolean;
  verbose?: boolean;
  remediations: boolean;
  exitCode: number;
  quiet?: boolean;
}

export function registerAudit(program: Command, run: Runner): void {
  program
    .command('audit')
    .description('Audit this k3s node (and its cluster) against the CIS k3s benchmark for its k3s version')
    .option('--demo', 'audit the bundled sample of a default k3s server and its cluster (no k3s needed)')
    .option('--demo-if-no-k3s', 'audit this node; on a machine without k3s, the bundled sample instead (and say so)')
    .option('--snapshot <file>', 'audit a snapshot written by `kharden collect` (node or cluster; - for stdin); several node snapshots, or a directory of them, make a fleet audit (repeatable)', collectRepeated)
    .option('--root <dir>', 'audit a node filesystem mounted at DIR (a DaemonSet with the host at /host, an image)')
    .option('--configured', 'judge what k3s will run after its next restart (configuration only), not what it last started with')
    .option('--cluster', 'also audit the cluster policies (section 5) through the Kubernetes API')
    .option('--kubeconfig <file>', 'kubeconfig for --cluster (as kubectl; default KUBECONFIG, ~/.kube/config, /etc/rancher/k3s/k3s.yaml)')
    .option('--context <name>', 'kubeconfig context for --cluster')
    .option('--manifests <path>', 'audit section 5 on objects from YAML/JSON files, a directory or - (repeatable)', collectRepeated)
    .option('--no-auto-cluster', 'on a k3s server, do not read the cluster through /etc/rancher/k3s/k3s.yaml')
    .option('--benchmark <id>', 'benchmark to use instead of the one for the k3s version (k3s-cis-1.9 … k3s-cis-2.1)')
    .option('--targets <list>', 'only these targets: master, etcd, controlplane, node, policies, host (repeatable, comma-separated)', collectRepeated)
    .option('--check <ids>', 'only these controls or groups, e.g. 1.2.1,4.2 (repeatable)', collectRepeated)
    .option('--skip <ids>', 'leave out these controls or groups (repeatable)', collectRepeated)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output <file>', 'write the report to FILE instead of stdout')
    .option('--no-color', 'no colour (also NO_COLOR=1)')
    .option('-v, --verbose', 'show the evidence of passing controls too')
    .option('--no-remediations', 'leave out how to fix failing controls')
    .option('--exit-code <n>', 'exit code when a control fails', parseExitCode, exitCodes.findings)
    .option('-q, --quiet', 'no progress messages')
    .addHelpText(
      'after',
      `
Statuses: PASS, FAIL, WARN (manual control: check by hand), N/A (does not apply, with the reason),
UNKNOWN (no evidence, with the reason). Exit codes: 0 nothing failed, 1 (--exit-code) a control failed,
2 usage or input error, 3 collection failed.

Examples:
  kharden audit                         # this node, as root
  kharden audit --demo                  # the bundled sample of a default k3s server and its cluster
  kharden audit --root /host -f json    # a node filesystem mounted at /host
  kharden collect -o node.json && kharden audit --snapshot node.json
  kharden audit --cluster --check 5     # the cluster policies only`,
    )
    .action(run(async (flags) => audit(flags as AuditFlags)));
}

async function audit(flags: AuditFlags): Promise<number> {
  const terminal = processTerminal({
    color: flags.format === 'text' && flags.output === undefined && colorEnabled({ noColorFlag: !flags.color, env: process.env, isTTY: process.stdout.isTTY === true }),
    progress: progressEnabled(process.env, process.stderr.isTTY === true, flags.quiet === true),
  });
  const filter = parseControlFilter({
    ...(flags.targets === undefined ? {} : { targets: flags.targets }),
    ...(flags.check === undefined ? {} : { check: flags.check }),
    ...(flags.skip === undefined ? {} : { skip: flags.skip }),
  });
  checkSourceFlags(flags);

  const snapshots = await readSnapshots(flags.snapshot ?? []);
  if (snapshots.nodes.length > 1) return auditFleet(flags, snapshots, filter, terminal);
  const notices: Notice[] = [];
  // --demo brings its cluster along unless cluster input is given: the whole benchmark, node and section 5.
  const found = await nodeSource(flags, snapshots.node, terminal, snapshots.cluster !== null);
  const demo = found?.demo === true;
  if (demo && flags.demo !== true) notices.push({ level: 'warning', message: 'k3s is not installed on this machine: this is the bundled sample of a default k3s server and its cluster (--demo), not this machine' });
  const demoCluster = demo && snapshots.cluster === null && flags.manifests === undefined && flags.cluster !== true;
  const node = demoCluster && found !== null ? { ...found, origin: 'demo (bundled sample of a default k3s server and its cluster)' } : found;
  const cluster = demoCluster ? await demoClusterFacts() : await clusterSource(flags, snapshots.cluster, node, terminal, notices);

  const state = flags.configured === true ? 'configured' : 'running';
  const benchmarkOption = flags.benchmark === undefined ? {} : { benchmark: flags.benchmark };
  // The cluster alone (--cluster, --manifests, a cluster snapshot): section 5, plus every k3s node's
  // component arguments from its k3s.io/node-args annotation (cis/policies/cluster-audit.ts).
  const report =
    node === null && cluster !== null
      ? auditCluster(cluster, { ...benchmarkOption, filter })
      : runAudit(
          {
            ...(node === null ? {} : { node: { facts: node.facts, args: effectiveArgs(node.facts, state), origin: node.origin } }),
            ...(cluster === null ? {} : { cluster: clusterAuditInput(cluster) }),
          },
          { ...benchmarkOption, filter },
        );
  report.notices.unshift(...notices);

  const text =
    flags.format === 'json'
      ? renderAuditJson(report)
      : renderAuditText(report, { colors: terminal.colors, verbose: flags.verbose === true, remediations: flags.remediations });
  await writeOutput(text, flags.output, terminal.out);
  return report.summary.FAIL > 0 ? flags.exitCode : exitCodes.ok;
}

/** Several node snapshots: each node is audited on its own (its own benchmark), then shown as one fleet. */
async function auditFleet(flags: AuditFlags, snapshots: Snapshots, filter: ControlFilter, terminal: Terminal): Promise<number> {
  if (flags.demo === true || flags.root !== undefined || snapshots.cluster !== null || flags.cluster === true || flags.manifests !== undefined) {
    throw inputError('a fleet audit (several node snapshots) takes node snapshots only: audit the cluster on its own with --cluster');
  }
  const state = flags.configured === true ? 'configured' : 'running';
  const entries = snapshots.nodes.map(({ facts, file }) => ({
    file,
    report: runAudit(
      { node: { facts, args: effectiveArgs(facts, state), origin: `snapshot ${file}` } },
      { ...(flags.benchmark === undefined ? {} : { benchmark: flags.benchmark }), filter },
    ),
  }));
  const fleet = fleetReport(entries);
  const text =
    flags.format === 'json'
      ? `${JSON.stringify(fleet, null, 2)}\n`
      : [
          renderFleetText(fleet, terminal.colors),
          ...(flags.verbose === true
            ? entries.map(({ report }) => renderAuditText(report, { colors: terminal.colors, verbose: true, remediations: flags.remediations }))
            : []),
        ].join('\n');
  await writeOutput(text, flags.output, terminal.out);
  return fleet.summary.FAIL > 0 ? flags.exitCode : exitCodes.ok;
}

function checkSourceFlags(flags: AuditFlags): void {
  const nodeSources = [flags.demo === true ? '--demo' : null, flags.root === undefined ? null : '--root'].filter((name) => name !== null);
  if (nodeSources.length > 1) throw inputError(`${nodeSources.join(' and ')} cannot be used together: choose where the node facts come from`);
  if (flags.cluster === true && flags.manifests !== undefined) throw inputError('--cluster and --manifests cannot be used together: choose where the cluster objects come from');
}

interface Snapshots {
  node: { facts: NodeFacts; file: string } | null;
  /** Every node snapshot given; more than one makes a fleet audit. */
  nodes: { facts: NodeFacts; file: string }[];
  cluster: { facts: ClusterFacts; file: string } | null;
}

/** `--snapshot` takes node and cluster snapshots alike; each file says what it is by its kind. */
async function readSnapshots(given: readonly string[]): Promise<Snapshots> {
  const snapshots: Snapshots = { node: null, nodes: [], cluster: null };
  for (const file of await snapshotFiles(given)) {
    const text = await readSnapshotText(file);
    const kind = snapshotKind(text);
    if (kind === 'ClusterFacts') {
      if (snapshots.cluster !== null) throw inputError(`two cluster snapshots given (${snapshots.cluster.file} and ${file}): give one`);
      snapshots.cluster = { facts: parseClusterSnapshot(text, file), file };
    } else {
      snapshots.nodes.push({ facts: parseSnapshot(text, file), file });
    }
  }
  snapshots.node = snapshots.nodes.length === 1 ? (snapshots.nodes[0] ?? null) : null;
  return snapshots;
}

/** A directory given to --snapshot stands for every *.json file in it, in name order (a fleet's snapshots). */
async function snapshotFiles(given: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const entry of given) {
    const info = entry === '-' ? null : await stat(entry).catch(() => null);
    if (info?.isDirectory() !== true) {
      files.push(entry);
      continue;
    }
    const names = (await readdir(entry)).filter((name) => name.endsWith('.json')).sort();
    if (names.length === 0) throw inputError(`no snapshots (*.json) in ${entry}`);
    files.push(...names.map((name) => path.join(entry, name)));
  }
  return files;
}

function snapshotKind(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && 'kind' in value && typeof value.kind === 'string') return value.kind;
  } catch {
    // parseSnapshot reports the syntax error with the file name.
  }
  return null;
}


interface NodeSource {
  facts: NodeFacts;
  origin: string;
  /** The bundled sample: --demo, or --demo-if-no-k3s on a machine without k3s. */
  demo?: true;
}

async function nodeSource(flags: AuditFlags, snapshot: Snapshots['node'], terminal: Terminal, clusterSnapshot = false): Promise<NodeSource | null> {
  if (snapshot !== null) {
    if (flags.demo === true || flags.root !== undefined) throw inputError('--snapshot with a node snapshot cannot be combined with --demo or --root');
    return { facts: snapshot.facts, origin: `snapshot ${snapshot.file}` };
  }
  if (flags.demo === true) return { facts: await demoFacts(), origin: 'demo (bundled sample of a default k3s server)', demo: true };
  const clusterOnly = flags.cluster === true || flags.manifests !== undefined || clusterSnapshot;
  if (flags.root !== undefined) {
    await rootDirectory(flags.root);
    terminal.progress(`collecting node facts under ${flags.root}`);
    const facts = await collectNodeFacts({ root: flags.root, mode: 'root' });
    if (!facts.k3s.installed) throw collectError(`no k3s found under ${flags.root}: no k3s binary, data directory, configuration or service there. Is it the node's root filesystem?`);
    return { facts, origin: `--root ${flags.root}` };
  }
  terminal.progress('collecting node facts');
  const facts = await collectNodeFacts({ root: '/', mode: 'live' });
  if (!facts.k3s.installed) {
    if (clusterOnly) return null;
    if (flags.demoIfNoK3s === true) return { facts: await demoFacts(), origin: 'demo (bundled sample of a default k3s server)', demo: true };
    throw collectError(
      'k3s is not installed on this machine (no k3s binary, data directory, configuration, service or process found).\n' +
        '  To see what kharden reports, audit the bundled sample of a default k3s server: kharden audit --demo\n' +
        '  To audit a node from here: kharden audit --snapshot node.json (written on the node by kharden collect -o node.json),\n' +
        '  kharden audit --root DIR (its filesystem mounted at DIR), or kharden audit --cluster (its cluster, through the API).',
    );
  }
  return { facts, origin: 'live' };
}

async function demoFacts(): Promise<NodeFacts> {
  const file = packageFile('samples/demo-node.json');
  return parseSnapshot(await readFile(file, 'utf8'), 'samples/demo-node.json');
}

async function demoClusterFacts(): Promise<ClusterFacts> {
  const file = packageFile('samples/demo-cluster.json');
  return parseClusterSnapshot(await readFile(file, 'utf8'), 'samples/demo-cluster.json');
}

async function clusterSource(
  flags: AuditFlags,
  snapshot: Snapshots['cluster'],
  node: NodeSource | null,
  terminal: Terminal,
  notices: Notice[],
): Promise<ClusterFacts | null> {
  if (snapshot !== null) return withProblemNotices(snapshot.facts, notices);
  if (flags.manifests !== undefined) {
    terminal.progress('reading manifests');
    const set = await loadManifests(flags.manifests);
    if (set.objects.length === 0) throw inputError(`no Kubernetes objects could be read from ${flags.manifests.join(', ')}`);
    return withProblemNotices(clusterFactsFromManifests(set, new Date().toISOString()), notices);
  }
  const kubeconfigOptions = {
    ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
    ...(flags.context === undefined ? {} : { context: flags.context }),
    progress: terminal.progress,
  };
  if (flags.cluster === true) return collectClusterFacts(kubeconfigOptions);
  // A merged audit: on a live k3s server that can read its own API, section 5 comes along.
  if (!flags.autoCluster || node === null || node.origin !== 'live' || node.facts.k3s.role?.value !== 'server') return null;
  try {
    return await collectClusterFacts(kubeconfigOptions);
  } catch (error) {
    if (!isKhardenError(error)) throw error;
    notices.push({ level: 'warning', message: `the cluster policies (section 5) were not audited: ${error.message}` });
    return null;
  }
}

/** Documents that could not be used are named in the report; the others were still audited. */
function withProblemNotices(facts: ClusterFacts, notices: Notice[]): ClusterFacts {
  for (const problem of facts.problems) notices.push({ level: 'error', message: `${describeOrigin(problem.origin)}: ${problem.message}` });
  return facts;
}
