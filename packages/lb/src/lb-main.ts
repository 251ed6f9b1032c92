#!/usr/bin/env node
/** Entry point of kubesim-lb. */
import { runComponent } from '@kubesim/api';
import { parseLbConfig, LB_USAGE } from './lb-config.js';
import { LoadBalancer } from './loadbalancer.js';

runComponent({
  name: 'load balancer',
  usage: LB_USAGE,
  parse: (argv) => parseLbConfig(argv),
  // Open connections get the drain time; then the process goes regardless.
  graceMs: (config) => config.settings.shutdownDrainMs + 1000,
  exitWhenDone: true,
  async run(config, signal) {
    const lb = new LoadBalancer(config);
    await lb.start(signal);
    if (!signal.aborted) console.log(`load balancer serving ${config.addressRange}, NATS ${config.natsUrl}, profile ${config.profile}`);
    await lb.stopped();
  },
});
