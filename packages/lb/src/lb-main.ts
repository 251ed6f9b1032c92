#!/usr/bin/env node
/** Entry point of kubesim-lb. */
import { parseLbConfig, LB_USAGE } from './lb-config.js';
import { LoadBalancer } from './loadbalancer.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseLbConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(LB_USAGE);
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
  const lb = new LoadBalancer(config);
  await lb.start(abort.signal);
  if (!abort.signal.aborted) console.log(`load balancer serving ${config.addressRange}, NATS ${config.natsUrl}, profile ${config.profile}`);
  await lb.stopped();
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('load balancer failed:', err);
    process.exit(1);
  },
);
