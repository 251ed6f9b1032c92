#!/usr/bin/env node
/** Entry point of the apiserver process. */
import { runComponent } from '@kubesim/api';
import { Apiserver } from './apiserver.js';
import { parseConfig, USAGE } from './config.js';

runComponent({
  name: 'apiserver',
  usage: USAGE,
  parse: (argv) => parseConfig(argv),
  graceMs: 2000,
  async run(config, signal) {
    await new Apiserver(config).start(signal);
    console.log(`apiserver serving on http://${config.bindAddress}:${config.port}, NATS ${config.natsUrl}`);
  },
});
