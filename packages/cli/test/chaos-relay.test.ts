/**
 * The NATS relay a node's kubelet and proxy would connect through, as its own process in front of
 * a real nats-server: it relays the NATS protocol; a cut ordered through its control file (and
 * SIGUSR1) drops the relayed connections and refuses new ones until the deadline, then it relays
 * again by itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, freePort, NatsServer, repoPath, TestProcess, waitForPort } from '@kubesim/testing';
import { readCutFile, writeCutFile } from '../src/index.js';
import { tempDir } from './fixtures.js';

const nats = new NatsServer();
const dir = tempDir('kubesim-relay-');
const controlFile = path.join(dir, 'chaos', 'nats-cut-node-1.json');
let relay: TestProcess;
let port = 0;

beforeAll(async () => {
  await nats.start();
  port = await freePort();
  relay = new TestProcess('nats relay', process.execPath, [
    repoPath('packages/cli/dist/chaos/relay-main.js'),
    '--listen', `127.0.0.1:${port}`, '--upstream', `127.0.0.1:${nats.port}`, '--control-file', controlFile,
  ]);
  await waitForPort('127.0.0.1', port);
});
afterAll(async () => {
  await relay?.kill();
  await nats.stop();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(nats.storeDir, { recursive: true, force: true });
});

/** A raw NATS connection through the relay: the first line the server sends, and the socket. */
function dial(): Promise<{ first: string; socket: net.Socket | null }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.on('data', (c) => {
      data += c;
      if (data.includes('\r\n')) resolve({ first: data.split('\r\n')[0], socket });
    });
    socket.on('error', () => resolve({ first: '', socket: null }));
    socket.on('close', () => resolve({ first: data, socket: null }));
  });
}

/** Sends a NATS PING and resolves to whether a PONG came back within a second. */
function ping(socket: net.Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const onData = (c: Buffer) => c.toString().includes('PONG') && done(true);
    const timer = setTimeout(() => done(false), 1000);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.off('data', onData);
      resolve(ok);
    };
    socket.on('data', onData);
    socket.on('close', () => done(false));
    socket.write('CONNECT {"verbose":false}\r\nPING\r\n');
  });
}

describe('the NATS relay', () => {
  it('relays the NATS protocol both ways', async () => {
    const { first, socket } = await dial();
    expect(first).toMatch(/^INFO \{/);
    expect(await ping(socket!)).toBe(true);
    socket!.destroy();
  });

  it('drops relayed connections and refuses new ones while cut, then relays again by itself', async () => {
    const before = await dial();
    expect(await ping(before.socket!)).toBe(true);
    const closed = new Promise<void>((resolve) => before.socket!.once('close', () => resolve()));

    const cutMs = 2000;
    const start = Date.now();
    writeCutFile(controlFile, start + cutMs);
    process.kill(relay.pid, 'SIGUSR1');
    await closed;
    const during = await dial();
    expect(during.first).toBe('');
    expect(Date.now() - start).toBeLessThan(cutMs);

    await eventually('the relay serving again', async () => (await dial()).first.startsWith('INFO'), { timeoutMs: 5000, intervalMs: 100 });
    expect(Date.now() - start).toBeGreaterThanOrEqual(cutMs);
    expect(readCutFile(controlFile)).toBe(start + cutMs);
  });

  it('ends a cut early when the deadline is moved to the past', async () => {
    writeCutFile(controlFile, Date.now() + 60_000);
    process.kill(relay.pid, 'SIGUSR1');
    await eventually('the cut in force', async () => (await dial()).first === '', { timeoutMs: 2000, intervalMs: 50 });
    writeCutFile(controlFile, 0);
    process.kill(relay.pid, 'SIGUSR1');
    await eventually('the relay serving again', async () => (await dial()).first.startsWith('INFO'), { timeoutMs: 2000, intervalMs: 50 });
  });
});
