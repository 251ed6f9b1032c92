#!/usr/bin/env node
/** Entry point of the scheduler process. */
import { parseConfig, USAGE } from './config.js';
import { Scheduler } from './scheduler.js';

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
      setTimeout(() => process.exit(0), 7000).unref();
    });
  }
  console.log(`scheduler ${config.schedulerName} starting, NATS ${config.natsUrl}, profile ${config.profile}`);
  await new Scheduler(config).start(abort.signal);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error('scheduler failed:', err);
    process.exit(1);
  },
);
