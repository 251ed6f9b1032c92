#!/usr/bin/env node
/**
 * The `kubesim-kubectl` binary: runs one kubectl command line with the process's streams.
 */
import { runKubectl } from './run.js';

// A closed pipe (`kubectl logs -f pod | head`) ends the command quietly, as SIGPIPE ends kubectl.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

process.exitCode = await runKubectl(process.argv.slice(2));
