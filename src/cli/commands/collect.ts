import { type Command, Option } from 'commander';
import { collectClusterFacts } from '../../collect/cluster.ts';
import { collectNodeFacts } from '../../collect/node.ts';
import { collectError, usageError } from '../../core/errors.ts';
import { clusterFactsSchema } from '../../facts/cluster-facts.ts';
import { nodeFactsSchema } from '../../facts/node-facts.ts';
import { collectRepeated, writeOutput } from '../output.ts';
import { rootDirectory } from '../root-directory.ts';
import type { Runner } from '../runner.ts';
import { processTerminal, progressEnabled } from '../terminal.ts';

interface CollectFlags {
  output?: string;
  root?: string;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  namespace?: string[];
  quiet?: boolean;
  format: 'json';
}

export function registerCollect(program: Command, run: Runner): void {
  program
    .command('collect')
    .description('Write this node\'s facts (or, with --cluster, the cluster\'s objects) to a snapshot for a later or central audit')
    .option('-o, --output <file>', 'write the snapshot to FILE (default: stdout)')
    .option('--root <dir>', 'collect from a node filesystem mounted at DIR')
    .option('--cluster', 'collect the cluster objects the policy audit needs, through the Kubernetes API')
    .option('--kubeconfig <file>', 'kubeconfig for --cluster (as kubectl)')
    .option('--context <name>', 'kubeconfig context for --cluster')
    .option('-n, --namespace <ns>', 'with --cluster, read namespaced objects only in NS (repeatable)', collectRepeated)
    .addOption(new Option('-f, --format <format>', 'snapshot format').choices(['json']).default('json'))
    .option('-q, --quiet', 'no progress messages')
    .addHelpText(
      'after',
      `
Secret values (tokens, keys, passwords) never enter a snapshot: they are masked as ********.
Examples:
  kharden collect -o node.json                 # on the node, as root
  kharden audit --snapshot node.json           # anywhere, later
  kharden collect --cluster -o cluster.json`,
    )
    .action(run(async (flags) => collect(flags as CollectFlags)));
}

async function collect(flags: CollectFlags): Promise<number> {
  const terminal = processTerminal({ color: false, progress: progressEnabled(process.env, process.stderr.isTTY === true, flags.quiet === true) });
  if (flags.cluster === true) {
    if (flags.root !== undefined) throw usageError('--root and --cluster cannot be used together: collect the node or the cluster');
    const facts = await collectClusterFacts({
      ...(flags.kubeconfig === undefined ? {} : { kubeconfig: flags.kubeconfig }),
      ...(flags.context === undefined ? {} : { context: flags.context }),
      ...(flags.namespace === undefined ? {} : { namespaces: flags.namespace }),
      progress: terminal.progress,
    });
    await writeOutput(`${JSON.stringify(clusterFactsSchema.parse(facts), null, 2)}\n`, flags.output, terminal.out);
    return 0;
  }
  const root = flags.root ?? '/';
  if (flags.root !== undefined) await rootDirectory(flags.root);
  terminal.progress(`collecting node facts${flags.root === undefined ? '' : ` under ${root}`}`);
  const facts = await collectNodeFacts({ root, mode: flags.root === undefined ? 'live' : 'root' });
  if (!facts.k3s.installed) {
    throw collectError(
      flags.root === undefined
        ? 'k3s is not installed on this machine: nothing to collect (no k3s binary, data directory, configuration, service or process found)'
        : `no k3s found under ${root}: no k3s binary, data directory, configuration or service there`,
    );
  }
  await writeOutput(`${JSON.stringify(nodeFactsSchema.parse(facts), null, 2)}\n`, flags.output, terminal.out);
  return 0;
}
