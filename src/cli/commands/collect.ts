import type { Command } from 'commander';
import type { Runner } from '../runner.ts';

export function registerCollect(program: Command, run: Runner): void {
  program
    .command('collect')
    .description('(not built yet)')
    .action(run(async () => {
      process.stderr.write('kharden collect: not built yet\n');
      return 2;
    }));
}
