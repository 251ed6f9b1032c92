import { createServer, type Socket } from 'node:net';
import { redisTime } from '../../log-format.js';
import { closeServer, listenOnPod, untilTerminated } from '../../net/http-server.js';
import type { ImageDefinition, Program, ProcessContext } from '../../process.js';
import { matchPattern } from '../../shell/pattern.js';
import { DASH_SH, debianPrograms, DEFAULT_PATH, execArgs } from '../common.js';
import { encodeReply, ErrorReply, parseCommands, Status, type Reply } from './resp.js';
import { RedisStore } from './store.js';

const VERSION = '7.2.4';
const DEFAULTS: Record<string, string> = {
  port: '6379', bind: '* -::*', dir: '/data', dbfilename: 'dump.rdb', save: '3600 1 300 100 60 10000', appendonly: 'no',
  maxmemory: '0', 'maxmemory-policy': 'noeviction', requirepass: '', databases: '16', 'protected-mode': 'no', loglevel: 'notice',
};

/** `redis-server [file] [--name value]...`: the config file's "name value" lines, then the flags. */
async function readConfig(ctx: ProcessContext): Promise<{ config: Record<string, string>; file?: string; error?: string }> {
  const config = { ...DEFAULTS };
  const args = ctx.argv.slice(1);
  let file: string | undefined;
  if (args[0] !== undefined && !args[0].startsWith('--')) {
    file = args.shift()!;
    const text = await ctx.container.fs.readFile(file, ctx.cwd).then((b) => b.toString('utf8'), () => undefined);
    if (text === undefined) return { config, file, error: `Fatal error, can't open config file '${file}': No such file or directory` };
    for (const line of text.split('\n')) {
      const m = /^\s*([\w-]+)\s+(.*?)\s*$/.exec(line.replace(/#.*/, ''));
      if (m) config[m[1].toLowerCase()] = m[2].replace(/^"(.*)"$/, '$1');
    }
  }
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('--')) continue;
    const name = args[i].slice(2).toLowerCase();
    const values: string[] = [];
    while (i + 1 < args.length && !args[i + 1].startsWith('--')) values.push(args[++i]);
    config[name] = values.join(' ');
  }
  return { config, file };
}

class RedisServer {
  readonly store = new RedisStore();
  private readonly started = Date.now();
  private connections = 0;

  constructor(
    private readonly ctx: ProcessContext,
    readonly config: Record<string, string>,
  ) {}

  log(role: 'C' | 'M', mark: '*' | '#', message: string): Promise<void> | void {
    return this.ctx.stdout.write(`1:${role} ${redisTime()} ${mark} ${message}\n`);
  }

  private get dumpPath(): string {
    return `${this.config.dir.replace(/\/+$/, '')}/${this.config.dbfilename}`;
  }

  /** Loads the snapshot a previous run saved (kubesim's own JSON, under the rdb file name). */
  async load(): Promise<void> {
    const text = await this.ctx.container.fs.readFile(this.dumpPath, this.ctx.cwd).then((b) => b.toString('utf8'), () => undefined);
    if (text === undefined) return;
    try {
      this.store.load(JSON.parse(text) as Record<string, { value: string; expiresAt?: number }>);
      await this.log('M', '*', `DB loaded from disk: 0.000 seconds`);
    } catch {
      await this.log('M', '#', `Short read or OOM loading DB. Unrecoverable error, aborting now.`);
    }
  }

  async save(): Promise<boolean> {
    try {
      await this.ctx.container.fs.writeFile(this.dumpPath, this.ctx.cwd, JSON.stringify(this.store.dump()));
      return true;
    } catch {
      return false;
    }
  }

  accept(socket: Socket): void {
    let buffer: Buffer = Buffer.alloc(0);
    let authed = this.config.requirepass === '';
    this.connections += 1;
    socket.on('close', () => (this.connections -= 1));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const { commands, rest, error } = parseCommands(buffer);
      buffer = rest;
      for (const args of commands) {
        const name = (args[0] ?? '').toLowerCase();
        if (name === 'quit') return void socket.end(encodeReply(new Status('OK')));
        if (name === 'auth') authed = args[args.length - 1] === this.config.requirepass;
        const reply = !authed && name !== 'auth' ? new ErrorReply('NOAUTH Authentication required.') : this.execute(name, args.slice(1));
        socket.write(encodeReply(reply));
      }
      if (error) socket.end(encodeReply(new ErrorReply(`ERR ${error}`)));
    });
  }

  private execute(name: string, args: string[]): Reply {
    const data = this.store.execute(name, args);
    if (data !== undefined) return data;
    switch (name) {
      case 'ping': return args.length > 0 ? args[0] : new Status('PONG');
      case 'echo': return args[0] ?? new ErrorReply(`ERR wrong number of arguments for 'echo' command`);
      case 'auth': return this.config.requirepass === '' ? new ErrorReply('ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?') : args[args.length - 1] === this.config.requirepass ? new Status('OK') : new ErrorReply('WRONGPASS invalid username-password pair or user is disabled.');
      case 'select': return Number(args[0]) >= 0 && Number(args[0]) < 16 ? new Status('OK') : new ErrorReply('ERR DB index is out of range');
      case 'info': return this.info();
      case 'config': return this.configCommand(args);
      case 'save':
      case 'bgsave':
        void this.save();
        return new Status(name === 'save' ? 'OK' : 'Background saving started');
      case 'command': return [];
      case 'client': return (args[0] ?? '').toLowerCase() === 'getname' ? null : new Status('OK');
      case 'time': {
        const now = Date.now();
        return [String(Math.floor(now / 1000)), String((now % 1000) * 1000)];
      }
      default: {
        const preview = args.slice(0, 3).map((a) => `'${a}' `).join('');
        return new ErrorReply(`ERR unknown command '${name}', with args beginning with: ${preview}`);
      }
    }
  }

  private configCommand(args: string[]): Reply {
    const sub = (args[0] ?? '').toLowerCase();
    if (sub === 'get') {
      const segs = [{ text: args[1] ?? '', quoted: false }];
      return Object.entries(this.config).filter(([k]) => matchPattern(segs, k)).flat();
    }
    if (sub === 'set' && args[1] !== undefined && args[2] !== undefined) {
      this.config[args[1].toLowerCase()] = args[2];
      return new Status('OK');
    }
    return new ErrorReply(`ERR unknown subcommand '${args[0] ?? ''}'. Try CONFIG HELP.`);
  }

  private info(): string {
    const uptime = Math.floor((Date.now() - this.started) / 1000);
    return [
      '# Server', `redis_version:${VERSION}`, 'redis_mode:standalone', 'os:Linux 6.1.0 x86_64', 'process_id:1', `tcp_port:${this.config.port}`,
      `uptime_in_seconds:${uptime}`, `uptime_in_days:${Math.floor(uptime / 86400)}`, '',
      '# Clients', `connected_clients:${this.connections}`, '',
      '# Memory', 'used_memory:1000000', `maxmemory:${this.config.maxmemory}`, `maxmemory_policy:${this.config['maxmemory-policy']}`, '',
      '# Persistence', 'loading:0', '',
      '# Replication', 'role:master', 'connected_slaves:0', '',
      '# Keyspace', ...(this.store.size() > 0 ? [`db0:keys=${this.store.size()},expires=0,avg_ttl=0`] : []), '',
    ].join('\r\n');
  }
}

/** `redis-server`: a RESP server on :6379 holding strings in memory, saved to /data on shutdown. */
const redisServer: Program = async (ctx) => {
  const { config, file, error } = await readConfig(ctx);
  const redis = new RedisServer(ctx, config);
  await redis.log('C', '*', 'oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo');
  await redis.log('C', '*', `Redis version=${VERSION}, bits=64, commit=00000000, modified=0, pid=1, just started`);
  if (error) {
    await ctx.stderr.write(`\n*** FATAL CONFIG FILE ERROR (Redis ${VERSION}) ***\n${error}\n`);
    return 1;
  }
  if (!file) await redis.log('C', '#', 'Warning: no config file specified, using the default config. In order to specify a config file use redis-server /path/to/redis.conf');
  else await redis.log('C', '*', 'Configuration loaded');
  const port = Number(config.port);
  const server = createServer((socket) => redis.accept(socket));
  const err = await listenOnPod(server, ctx, port);
  if (err) {
    await redis.log('M', '#', `Warning: Could not create server TCP listening socket ${ctx.container.podIP}:${port}: bind: Address already in use`);
    await redis.log('M', '#', `Failed listening on port ${port} (tcp), aborting.`);
    return 1;
  }
  await redis.log('M', '*', 'monotonic clock: POSIX clock_gettime');
  await redis.log('M', '*', `Running mode=standalone, port=${port}.`);
  await redis.log('M', '*', 'Server initialized');
  await redis.load();
  await redis.log('M', '*', 'Ready to accept connections tcp');
  if ((await untilTerminated(ctx)) === 'sigterm') {
    await ctx.stdout.write(`1:signal-handler (${Math.floor(Date.now() / 1000)}) Received SIGTERM scheduling shutdown...\n`);
    await redis.log('M', '*', 'User requested shutdown...');
    if (config.save !== '') {
      await redis.log('M', '*', 'Saving the final RDB snapshot before exiting.');
      if (await redis.save()) await redis.log('M', '*', 'DB saved on disk');
    }
    await redis.log('M', '#', 'Redis is now ready to exit, bye bye...');
  }
  await closeServer(server);
  return 0;
};

/** redis (any tag). */
export const redis: ImageDefinition = {
  name: 'redis',
  description: 'redis-server: RESP on :6379 (PING, ECHO, SET/GET/DEL/EXISTS/INCR/KEYS/EXPIRE/TTL, FLUSHALL, INFO, CONFIG GET), in memory, saved to /data on SIGTERM',
  repositories: ['docker.io/library/redis'],
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['redis-server'],
  env: { PATH: DEFAULT_PATH, REDIS_VERSION: VERSION },
  workingDir: '/data',
  programs: { ...debianPrograms(), 'docker-entrypoint.sh': execArgs, 'redis-server': redisServer },
  shell: DASH_SH,
};
