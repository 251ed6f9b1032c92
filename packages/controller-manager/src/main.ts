#!/usr/bin/env node
/** Entry point of the controller-manager process. */
import { runComponent } from '@kubesim/api';
import { ControllerManager } from './controller-manager.js';
import { parseConfig, USAGE } from './config.js';

runComponent({
  name: 'controller-manager',
  usage: USAGE,
  parse: (argv) => parseConfig(argv),
  // In-flight requests get a moment to finish; then the process goes regardless.
  graceMs: 2000,
  exitWhenDone: true,
  async run(config, signal) {
    const manager = new ControllerManager(config);
    await manager.start(signal);
    if (!signal.aborted) console.log(`controller-manager running [${config.controllers.join(', ')}], NATS ${config.natsUrl}, profile ${config.profile}`);
    await manager.stopped();
  },
});
