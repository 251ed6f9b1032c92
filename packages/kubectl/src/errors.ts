/**
 * The errors a kubectl command can end with, and how each is printed: kubectl's exact wording for
 * server errors, connection failures and usage mistakes.
 */
import { ApiError } from '@kubesim/api';

/** A mistake on the command line; printed as `error: <message>` plus a pointer to `--help`. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** Print `See 'kubectl <cmd> -h' for help and examples` (true) or `See 'kubectl <cmd> --help' for usage.` (false). */
    readonly helpHint: 'examples' | 'usage' = 'usage',
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure printed verbatim (kubectl's `error: ...` lines and free-form messages). */
export class CommandError extends Error {
  constructor(
    message: string,
    /** When true the message is printed as is, without the `error: ` prefix. */
    readonly raw = false,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** The apiserver could not be reached; the message names the host:port the way kubectl does. */
export class ConnectionError extends Error {
  constructor(
    readonly hostPort: string,
    readonly refused: boolean,
    readonly detail: string,
  ) {
    super(refused ? `The connection to the server ${hostPort} was refused - did you specify the right host or port?` : `Unable to connect to the server: ${detail}`);
    this.name = 'ConnectionError';
  }
}

/**
 * Text kubectl prints for a server error. `context` adds kubectl's `error when creating "f.yaml":`
 * phrase. A 422 reads `The Kind "name" is invalid: field: message` (one line per cause when there
 * are several), as kubectl's checkErr prints it.
 */
export function formatApiError(err: ApiError, context?: string): string {
  if (err.code === 'Invalid') return formatInvalid(err);
  const where = context ? `${context}: ` : '';
  return `Error from server (${err.code}): ${where}${err.message}`;
}

function formatInvalid(err: ApiError): string {
  const d = err.details;
  if (!d) return 'The request is invalid';
  const head = d.kind || d.name ? `The ${d.kind ?? ''} "${d.name ?? ''}" is invalid` : 'The request is invalid';
  const causes = (d.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
  if (causes.length === 0) return head;
  if (causes.length === 1) return `${head}: ${causes[0]}`;
  return `${head}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
}

/** Text for any error that ends a command, without a trailing newline. */
export function formatError(err: unknown, command: string): string {
  if (err instanceof UsageError) {
    const hint = err.helpHint === 'examples' ? `See 'kubectl ${command} -h' for help and examples` : `See 'kubectl ${command} --help' for usage.`;
    return `error: ${err.message}\n${hint}`;
  }
  if (err instanceof ConnectionError) return err.message;
  if (err instanceof CommandError) return err.raw ? err.message : `error: ${err.message}`;
  if (err instanceof ApiError) return formatApiError(err);
  return `error: ${(err as Error)?.message ?? String(err)}`;
}
