#!/usr/bin/env node
import { main } from '../dist/bundle/main.js';

// A reader that goes away early (`kharden audit -f json | head`) is not an error worth a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
