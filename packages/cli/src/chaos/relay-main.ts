#!/usr/bin/env node
/**
 * `kubesim-nats-relay`: runs a NatsRelay as a component of its own (one per node), e.g.
 *   node packages/cli/dist/chaos/relay-main.js --listen 127.1.0.2:4222 \
 *     --upstream 127.0.0.1:4222 --control-file <data-dir>/chaos/nats-cut-node-2.json
 * SIGUSR1 makes it read the control file at once; SIGTERM/SIGINT stop it.
 */
import { parseArgs } from 'node:util';
import { NatsRelay } from './relay.js';

function hostPort(flag: string, value: string | undefined): { host: string; port: number } {
  const m = /^(.+):(\d+)$/.exec(value ?? '');
  if (!m) throw new Error(`--${flag} must be HOST:PORT, not "${value ?? ''}"`);
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port: Number(m[2]) };
}

const { values } = parseArgs({
  options: { listen: { type: 'string' }, upstream: { type: 'string' }, 'control-file': { type: 'string' } },
  strict: true,
});
const listen = hostPort('listen', values.listen);
const upstream = hostPort('upstream', values.upstream);
const relay = new NatsRelay({
  listenHost: listen.host,
  listenPort: listen.port,
  upstreamHost: upstream.host,
  upstreamPort: upstream.port,
  controlFile: values['control-file'],
});
const controller = new AbortController();
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.once(sig, () => controller.abort());
process.on('SIGUSR1', () => relay.readControl());
await relay.start(controller.signal);
console.log(`nats relay ${values.listen} -> ${values.upstream}${values['control-file'] ? `, cut by ${values['control-file']}` : ''}`);
