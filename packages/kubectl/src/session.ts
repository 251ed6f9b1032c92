/**
 * One kubectl invocation's context: its streams, its global flags, the resolved kubeconfig and the
 * HTTP clients built from it (JSON, and Table for human-readable `get`). Everything is created on
 * first use, so `--help` and client-only commands never read a kubeconfig or open a socket.
 */
import type { Readable, Writable } from 'node:stream';
import { ApiClient, ApiError, HttpTransport, type ApiRequest, type ApiResponse, type WatchStream } from '@kubesim/api';
import { ConnectionError } from './errors.js';
import { hostPort, resolveConfig, type ResolvedConfig } from './kubeconfig.js';
import { streamGet } from './stream.js';

/** The streams and environment a run uses (the process's, or a test's). */
export interface KubectlIo {
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  env: NodeJS.ProcessEnv;
}

/** Flags every command accepts. */
export interface GlobalOptions {
  kubeconfig: string;
  context: string;
  server: string;
  namespace: string;
  requestTimeoutMs?: number;
}

/** The Accept header kubectl sends for human-readable `get` (server-side Table printing). */
export const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';

const USER_AGENT = 'kubesim-kubectl/0.1.0';

/** HttpTransport that reports unreachable servers as kubectl does ({@link ConnectionError}). */
class KubectlTransport extends HttpTransport {
  constructor(
    private readonly server: string,
    headers: Record<string, string>,
    timeoutMs?: number,
  ) {
    super({ server, headers, timeoutMs });
  }

  override async request(req: ApiRequest): Promise<ApiResponse> {
    try {
      return await super.request(req);
    } catch (err) {
      throw this.convert(err);
    }
  }

  override async watch(req: ApiRequest): Promise<WatchStream> {
    try {
      return await super.watch(req);
    } catch (err) {
      throw this.convert(err);
    }
  }

  override async getRaw(path: string, headers: Record<string, string> = {}): Promise<{ code: number; text: string; contentType?: string }> {
    try {
      return await super.getRaw(path, headers);
    } catch (err) {
      throw this.convert(err);
    }
  }

  /** Turns an "apiserver unreachable" error into kubectl's {@link ConnectionError}. */
  convertError(err: unknown): unknown {
    return this.convert(err);
  }

  private convert(err: unknown): unknown {
    const msg = (err as Error)?.message ?? '';
    if (err instanceof ApiError && msg.startsWith('cannot reach the apiserver')) {
      const detail = msg.replace(/^cannot reach the apiserver at [^:]+:\/\/[^:]+(:\d+)?: /, '');
      return new ConnectionError(hostPort(this.server), /ECONNREFUSED/.test(msg), detail);
    }
    return err;
  }
}

/** The per-run context handed to every command. */
export class Session {
  private resolved?: ResolvedConfig;
  private jsonTransport?: KubectlTransport;
  private tableTransportInstance?: KubectlTransport;
  private apiClient?: ApiClient;

  constructor(
    readonly io: KubectlIo,
    readonly globals: GlobalOptions,
  ) {}

  out(text: string): void {
    this.io.stdout.write(text);
  }

  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** The resolved kubeconfig (throws kubectl's configuration errors). */
  get config(): ResolvedConfig {
    this.resolved ??= resolveConfig({
      kubeconfig: this.globals.kubeconfig || undefined,
      context: this.globals.context || undefined,
      server: this.globals.server || undefined,
      env: this.io.env,
    });
    return this.resolved;
  }

  /** `-n`, else the context's namespace, else `default`. */
  get namespace(): string {
    return this.globals.namespace || this.config.namespace;
  }

  /** JSON transport (Accept: application/json). */
  get transport(): HttpTransport {
    this.jsonTransport ??= this.makeTransport({});
    return this.jsonTransport;
  }

  /** Transport whose every request asks for server-side Tables. */
  get tableTransport(): HttpTransport {
    this.tableTransportInstance ??= this.makeTransport({ Accept: TABLE_ACCEPT });
    return this.tableTransportInstance;
  }

  get client(): ApiClient {
    this.apiClient ??= new ApiClient(this.transport);
    return this.apiClient;
  }

  /**
   * Streams a GET of `path` (plain text such as pods/log) to `onData` until the server ends it or
   * `signal` aborts; server errors throw their ApiError, an unreachable server ConnectionError.
   */
  async stream(path: string, query: Record<string, string>, onData: (chunk: Buffer) => void, signal?: AbortSignal): Promise<void> {
    const url = new URL(path, this.config.server);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    try {
      await streamGet({ url, headers: { Accept: 'application/json, */*', ...this.baseHeaders() }, onData, signal });
    } catch (err) {
      throw this.transport instanceof KubectlTransport ? this.transport.convertError(err) : err;
    }
  }

  async close(): Promise<void> {
    await this.jsonTransport?.close();
    await this.tableTransportInstance?.close();
  }

  private baseHeaders(): Record<string, string> {
    const { server, token } = this.config;
    const headers: Record<string, string> = { 'User-Agent': USER_AGENT };
    // kubectl only sends bearer tokens over TLS.
    if (token && server.startsWith('https:')) headers.Authorization = `Bearer ${token}`;
    return headers;
  }

  private makeTransport(extra: Record<string, string>): KubectlTransport {
    return new KubectlTransport(this.config.server, { ...this.baseHeaders(), ...extra }, this.globals.requestTimeoutMs);
  }
}
