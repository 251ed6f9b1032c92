/**
 * The apiserver's settings: flags, environment variables (KUBESIM_*), defaults.
 */
import { parseArgs } from 'node:util';

export interface ApiserverConfig {
  natsUrl: string;
  port: number;
  bindAddress: string;
  bucket: string;
  /** Events kept for watches from a past resourceVersion. */
  watchCacheSize: number;
  /** Replicas for the store's stream (3 on a NATS cluster). */
  replicas: number;
  maxRequestBytes: number;
  maxObjectBytes: number;
  bookmarkIntervalMs: number;
  profile: 'default' | 'fast';
  /**
   * tolerationSeconds of the node.kubernetes.io/not-ready and /unreachable NoExecute tolerations
   * added to every new pod: how long its pods stay on a node that went silent (300; fast 5).
   */
  defaultTolerationSeconds: number;
}

export const DEFAULTS: ApiserverConfig = {
  natsUrl: 'nats://127.0.0.1:4222',
  port: 6443,
  bindAddress: '127.0.0.1',
  bucket: 'kubesim',
  watchCacheSize: 100_000,
  replicas: 1,
  maxRequestBytes: 3 * 1024 * 1024,
  maxObjectBytes: 1.5 * 1024 * 1024,
  bookmarkIntervalMs: 10_000,
  profile: 'default',
  defaultTolerationSeconds: 300,
};

const USAGE = `kubesim-apiserver: the Kubernetes API on a JetStream KV store

  --nats-url URL           NATS server (env KUBESIM_NATS_URL; default ${DEFAULTS.natsUrl})
  --port N                 HTTP port (env KUBESIM_API_PORT; default ${DEFAULTS.port})
  --bind-address ADDR      HTTP address (env KUBESIM_BIND_ADDRESS; default ${DEFAULTS.bindAddress})
  --bucket NAME            KV bucket (default ${DEFAULTS.bucket})
  --watch-cache-size N     events kept for watches from the past (default ${DEFAULTS.watchCacheSize})
  --replicas N             JetStream replicas of the store (default 1)
  --profile default|fast   timer profile (fast: bookmarks every second, tolerations of 5 s)
  --default-toleration-seconds N
                           how long new pods tolerate a not-ready or unreachable node
                           (default 300; fast profile 5)
`;

/** Parses argv and environment. Throws an Error with the usage text on bad flags. */
export function parseConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ApiserverConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      'nats-url': { type: 'string' },
      port: { type: 'string' },
      'bind-address': { type: 'string' },
      bucket: { type: 'string' },
      'watch-cache-size': { type: 'string' },
      replicas: { type: 'string' },
      profile: { type: 'string' },
      'default-toleration-seconds': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  const num = (v: string | undefined, name: string, fallback: number) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: not a number: ${v}\n\n${USAGE}`);
    return n;
  };
  const profile = (values.profile ?? env.KUBESIM_PROFILE ?? 'default') as ApiserverConfig['profile'];
  if (profile !== 'default' && profile !== 'fast') throw new Error(`--profile must be default or fast\n\n${USAGE}`);
  return {
    ...DEFAULTS,
    natsUrl: values['nats-url'] ?? env.KUBESIM_NATS_URL ?? DEFAULTS.natsUrl,
    port: num(values.port ?? env.KUBESIM_API_PORT, 'port', DEFAULTS.port),
    bindAddress: values['bind-address'] ?? env.KUBESIM_BIND_ADDRESS ?? DEFAULTS.bindAddress,
    bucket: values.bucket ?? DEFAULTS.bucket,
    watchCacheSize: num(values['watch-cache-size'], 'watch-cache-size', DEFAULTS.watchCacheSize),
    replicas: num(values.replicas, 'replicas', DEFAULTS.replicas),
    bookmarkIntervalMs: profile === 'fast' ? 1000 : DEFAULTS.bookmarkIntervalMs,
    profile,
    defaultTolerationSeconds: num(values['default-toleration-seconds'], 'default-toleration-seconds', profile === 'fast' ? 5 : DEFAULTS.defaultTolerationSeconds),
  };
}

export { USAGE };
