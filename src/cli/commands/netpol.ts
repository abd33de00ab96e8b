import type { Command } from 'commander';
import type { Runner } from '../runner.ts';

export function registerNetpol(program: Command, run: Runner): void {
  program
    .command('netpol')
    .description('(not built yet)')
    .action(run(async () => {
      process.stderr.write('kharden netpol: not built yet\n');
      return 2;
    }));
}
