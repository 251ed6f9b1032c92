#!/usr/bin/env node
/** Entry point of the kubelet process. */
import { parseConfig, USAGE } from './config.js';
import { Kubelet } from './kubelet.js';

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
      setTimeout(() => process.exit(0), 1000).unref();
    });
  }
  await new Kubelet(config).start(abort.signal);
}

main().catch((err) => {
  console.error('kubelet failed:', err);
  process.exit(1);
});
