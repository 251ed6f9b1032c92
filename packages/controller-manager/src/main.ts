#!/usr/bin/env node
/** Entry point of the controller-manager process. */
import { ControllerManager } from './controller-manager.js';
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
      // In-flight requests get a moment to finish; then the process goes regardless.
      setTimeout(() => process.exit(0), 2000).unref();
    });
  }
  const manager = new ControllerManager(config);
  await manager.start(abort.signal);
  if (!abort.signal.aborted) console.log(`controller-manager running [${config.controllers.join(', ')}], NATS ${config.natsUrl}, profile ${config.profile}`);
  await manager.stopped();
  process.exit(0);
}

main().catch((err) => {
  console.error('controller-manager failed:', err);
  process.exit(1);
});
