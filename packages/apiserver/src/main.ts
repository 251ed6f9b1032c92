#!/usr/bin/env node
/** Entry point of the apiserver process. */
import { Apiserver } from './apiserver.js';
import { parseConfig, USAGE } from './config.js';

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
      setTimeout(() => process.exit(0), 2000).unref();
    });
  }
  await new Apiserver(config).start(abort.signal);
  console.log(`apiserver serving on http://${config.bindAddress}:${config.port}, NATS ${config.natsUrl}`);
}

main().catch((err) => {
  console.error('apiserver failed:', err);
  process.exit(1);
});
