/**
 * The shared reconcile runner (kubernetes/sample-controller's worker loop): workers pull keys from
 * a {@link WorkQueue}, call `reconcile(key)`, and every controller gets the same error handling:
 *
 * - success: the key's backoff is reset; a returned `requeueAfterMs` schedules the key again;
 * - transient error (outage, timeout, throttling, conflict, any plain Error): retried with the
 *   key's exponential backoff;
 * - terminal error (invalid, not found, bad request, {@link TerminalError}): logged and dropped,
 *   and `onTerminal` is told (the hook where an Event on the object gets recorded).
 */
import { realClock, type Clock } from './clock.js';
import { WorkQueue } from './workqueue/index.js';

/** A structured log line: what a component's logger receives. */
export type LogFn = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** Writes one line per call to stderr, tagged with the component name. */
export function stderrLog(component: string): LogFn {
  return (level, message, fields) => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    process.stderr.write(`${new Date().toISOString()} ${level.toUpperCase()} [${component}] ${message}${extra}\n`);
  };
}

/**
 * Thrown by a reconcile to say retrying cannot help (the object is wrong, not the world). The
 * runner logs it, forgets the key and calls `onTerminal`.
 */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

/** What a reconcile may ask for besides success: to be called again after a while. */
export interface ReconcileResult {
  requeueAfterMs?: number;
}

/** Brings the world in line with the object named by `key`; idempotent; re-reads the cache. */
export type Reconciler = (key: string, signal: AbortSignal) => Promise<void | ReconcileResult>;

/** Status reasons that retrying the same request cannot fix. */
const TERMINAL_REASONS = new Set([
  'Invalid',
  'NotFound',
  'BadRequest',
  'RequestEntityTooLarge',
  'UnsupportedMediaType',
  'NotAcceptable',
  'MethodNotAllowed',
]);

/** Sorts a reconcile error: `terminal` (drop the key) or `transient` (retry with backoff). */
export function classifyError(err: unknown): 'terminal' | 'transient' {
  if (err instanceof TerminalError) return 'terminal';
  // By reason rather than by class, so an ApiError from another copy of this package counts too.
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && TERMINAL_REASONS.has(code) ? 'terminal' : 'transient';
}

export interface ControllerOptions {
  /** Names the controller in logs. */
  name: string;
  reconcile: Reconciler;
  /** The queue informer handlers add keys to; default a new {@link WorkQueue} on `clock`. */
  queue?: WorkQueue<string>;
  /** Keys reconciled at once (default 1); one key is never reconciled twice at once. */
  workers?: number;
  clock?: Clock;
  log?: LogFn;
  /** Called once for each key dropped on a terminal error. */
  onTerminal?: (key: string, err: unknown) => void;
}

/** Runs `reconcile` over the keys of a workqueue with a fixed number of workers. */
export class Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  private readonly workers: number;
  private readonly reconcile: Reconciler;
  private readonly log: LogFn;
  private readonly onTerminal?: (key: string, err: unknown) => void;
  private started = false;

  constructor(options: ControllerOptions) {
    if (!options.name) throw new TypeError('a controller needs a name');
    const workers = options.workers ?? 1;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
    this.name = options.name;
    this.workers = workers;
    this.reconcile = options.reconcile;
    this.queue = options.queue ?? new WorkQueue<string>({ clock: options.clock ?? realClock });
    this.log = options.log ?? stderrLog(options.name);
    this.onTerminal = options.onTerminal;
  }

  /** Adds a key to the queue (what informer handlers call). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /**
   * Starts the workers. Resolves once `signal` aborted, the queue shut down and every reconcile
   * in flight finished.
   */
  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error(`controller ${this.name} already started`);
    this.started = true;
    const stop = () => void this.queue.shutDownWithDrain();
    if (signal.aborted) stop();
    else signal.addEventListener('abort', stop, { once: true });
    await Promise.all(Array.from({ length: this.workers }, () => this.runWorker(signal)));
  }

  private async runWorker(signal: AbortSignal): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        await this.processKey(key, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private async processKey(key: string, signal: AbortSignal): Promise<void> {
    let result: void | ReconcileResult;
    try {
      result = await this.reconcile(key, signal);
    } catch (err) {
      this.handleError(key, err);
      return;
    }
    this.queue.forget(key);
    const after = result?.requeueAfterMs;
    if (after !== undefined && after >= 0) this.queue.addAfter(key, after);
  }

  private handleError(key: string, err: unknown): void {
    const error = err instanceof Error ? err.message : String(err);
    if (classifyError(err) === 'terminal') {
      this.log('error', 'reconcile failed; dropping the key', { key, error });
      this.queue.forget(key);
      this.callOnTerminal(key, err);
      return;
    }
    const retries = this.queue.numRequeues(key);
    this.log(retries >= 5 ? 'warn' : 'info', 'reconcile failed; retrying with backoff', { key, error, retries });
    this.queue.addRateLimited(key);
  }

  private callOnTerminal(key: string, err: unknown): void {
    try {
      this.onTerminal?.(key, err);
    } catch (hookErr) {
      this.log('error', 'onTerminal hook threw', { key, error: String(hookErr) });
    }
  }
}
