#!/usr/bin/env node
/** Entry point of kubesim-proxy. */
import { runComponent } from '@kubesim/api';
import { parseProxyConfig, PROXY_USAGE } from './proxy-config.js';
import { ServiceProxy } from './service-proxy.js';

runComponent({
  name: 'proxy',
  usage: PROXY_USAGE,
  parse: (argv) => parseProxyConfig(argv),
  // Open connections get the drain time; then the process goes regardless.
  graceMs: (config) => config.settings.shutdownDrainMs + 1000,
  exitWhenDone: true,
  async run(config, signal) {
    const proxy = new ServiceProxy(config);
    await proxy.start(signal);
    if (!signal.aborted) {
      const what = [config.nodeName && `node ${config.nodeName} at ${config.nodeIP}`, config.clusterIPs && 'ClusterIPs'].filter(Boolean).join(' and ');
      console.log(`proxy serving ${what}, NATS ${config.natsUrl}, profile ${config.profile}`);
    }
    await proxy.stopped();
  },
});
