#!/usr/bin/env node
/** Entry point of kubesim-proxy. */
import { parseProxyConfig, PROXY_USAGE } from './proxy-config.js';
import { ServiceProxy } from './service-proxy.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseProxyConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(PROXY_USAGE);
    return;
  }
  const abort = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      abort.abort();
      // Open connections get the drain time; then the process goes regardless.
      setTimeout(() => process.exit(0), config.settings.shutdownDrainMs + 1000).unref();
    });
  }
  const proxy = new ServiceProxy(config);
  await proxy.start(abort.signal);
  if (!abort.signal.aborted) {
    const what = [config.nodeName && `node ${config.nodeName} at ${config.nodeIP}`, config.clusterIPs && 'ClusterIPs'].filter(Boolean).join(' and ');
    console.log(`proxy serving ${what}, NATS ${config.natsUrl}, profile ${config.profile}`);
  }
  await proxy.stopped();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('proxy failed:', err);
    process.exit(1);
  },
);
