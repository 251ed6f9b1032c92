#!/usr/bin/env node
/** Entry point of the kubelet process. */
import { runComponent } from '@kubesim/api';
import { parseConfig, USAGE } from './config.js';
import { Kubelet } from './kubelet.js';

runComponent({
  name: 'kubelet',
  usage: USAGE,
  parse: (argv) => parseConfig(argv),
  graceMs: 1000,
  run: (config, signal) => new Kubelet(config).start(signal),
});
