import type { Command } from 'commander';
import type { Runner } from '../runner.ts';

export function registerHarden(program: Command, run: Runner): void {
  program
    .command('harden')
    .description('(not built yet)')
    .action(run(async () => {
      process.stderr.write('kharden harden: not built yet\n');
      return 2;
    }));
}
