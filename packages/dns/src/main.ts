#!/usr/bin/env node
/** Entry point of the cluster DNS process. */
import { parseConfig, USAGE } from './config.js';
import { DnsServer } from './dns-server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  if (config === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const abort = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      abort.abort();
      setTimeout(() => process.exit(0), 5000).unref();
    });
  }
  console.log(`dns starting, NATS ${config.natsUrl}, ${config.address}:${config.port}, domain ${config.domain}, profile ${config.profile}`);
  await new DnsServer(config).start(abort.signal);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('dns failed:', err);
    process.exit(1);
  },
);
