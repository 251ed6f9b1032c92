#!/usr/bin/env node
/** Entry point of the cluster DNS process. */
import { runComponent } from '@kubesim/api';
import { parseConfig, USAGE } from './config.js';
import { DnsServer } from './dns-server.js';

runComponent({
  name: 'dns',
  usage: USAGE,
  parse: (argv) => parseConfig(argv),
  graceMs: 5000,
  exitWhenDone: true,
  run(config, signal) {
    console.log(`dns starting, NATS ${config.natsUrl}, ${config.address}:${config.port}, domain ${config.domain}, profile ${config.profile}`);
    return new DnsServer(config).start(signal);
  },
});
