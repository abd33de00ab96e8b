// Loaded with `node --import` into the kharden process the cluster benchmark measures: on exit it writes the
// process's peak resident set size (getrusage ru_maxrss, kilobytes on Linux) to $KHARDEN_BENCH_RSS_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.KHARDEN_BENCH_RSS_FILE;
if (file !== undefined) {
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }));
  });
}
