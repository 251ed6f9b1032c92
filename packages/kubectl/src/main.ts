#!/usr/bin/env node
/**
 * The `kubesim-kubectl` binary: runs one kubectl command line with the process's streams.
 */
import { runKubectl } from './run.js';

process.exitCode = await runKubectl(process.argv.slice(2));
