#!/usr/bin/env node
/** Entry point of the scheduler process. */
import { runComponent } from '@kubesim/api';
import { parseConfig, USAGE } from './config.js';
import { Scheduler } from './scheduler.js';

runComponent({
  name: 'scheduler',
  usage: USAGE,
  parse: (argv) => parseConfig(argv),
  // Bindings in flight get up to 5 s.
  graceMs: 7000,
  exitWhenDone: true,
  run(config, signal) {
    console.log(`scheduler ${config.schedulerName} starting, NATS ${config.natsUrl}, profile ${config.profile}`);
    return new Scheduler(config).start(signal);
  },
});
