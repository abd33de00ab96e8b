// One bundle for the CLI: Node resolves ~400 modules at start without it, which costs more time than an audit.
// dist/ (tsc's output) stays as is for tests and library use; bin/kharden.js runs the bundle.
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'dist/cli/main.js',
  platform: 'node',
  output: { dir: 'dist/bundle', format: 'esm', sourcemap: false },
  // client-node is loaded lazily (only with --cluster); keep it in its own chunk so that audits of a node never parse it.
  logLevel: 'warn',
});
