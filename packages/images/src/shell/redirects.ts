import { fsErrorMessage } from '../fs/errors.js';
import { InputStream, nullWriter, type Writer } from '../io/streams.js';
import type { Redirect } from './ast.js';
import { expandString } from './expand.js';
import type { Fds, Interpreter } from './interpreter.js';

/** Streams set up for one command, and how to close the files they opened. */
export type OpenedRedirects = { fds: Fds; close: () => Promise<void> } | { error: string };

/**
 * Applies redirections left to right (`>f 2>&1` sends both to f; `2>&1 >f` only stdout).
 * Only descriptors 0, 1 and 2 exist; others are accepted and ignored. Errors are worded like busybox's.
 */
export async function openRedirects(sh: Interpreter, redirects: Redirect[], outer: Fds): Promise<OpenedRedirects> {
  const fds: Fds = { ...outer };
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  for (const r of redirects) {
    const result = await openOne(sh, r, fds, closers);
    if (typeof result === 'string') {
      await close();
      return { error: result };
    }
  }
  return { fds, close };
}

async function openOne(sh: Interpreter, r: Redirect, fds: Fds, closers: (() => Promise<void>)[]): Promise<string | undefined> {
  if (r.op === '<<' || r.op === '<<-') {
    setInput(fds, r.fd, InputStream.from(r.heredoc ? await expandString(r.heredoc, sh) : ''));
    return undefined;
  }
  const target = await expandString(r.target, sh);
  switch (r.op) {
    case '<':
    case '<>': {
      if (target === '/dev/stdin') return undefined;
      try {
        setInput(fds, r.fd, InputStream.from(await sh.fs.readFile(target, sh.cwd)));
      } catch (err) {
        return `can't open '${target}': ${fsErrorMessage(err)}`;
      }
      return undefined;
    }
    case '>&':
    case '<&':
      if (target === '-') return setOutput(fds, r.fd, nullWriter);
      if (/^\d+$/.test(target)) {
        if (r.op === '<&') return undefined;
        const from = target === '1' ? fds.stdout : target === '2' ? fds.stderr : undefined;
        if (from) setOutput(fds, r.fd, from);
        return undefined;
      }
      return openFile(sh, target, false, fds, r.fd, closers);
    default:
      return openFile(sh, target, r.op === '>>', fds, r.fd, closers);
  }
}

async function openFile(sh: Interpreter, target: string, append: boolean, fds: Fds, fd: number, closers: (() => Promise<void>)[]): Promise<string | undefined> {
  if (target === '/dev/stdout' || target === '/proc/self/fd/1') return setOutput(fds, fd, fds.stdout);
  if (target === '/dev/stderr' || target === '/proc/self/fd/2') return setOutput(fds, fd, fds.stderr);
  try {
    const sink = await sh.fs.openSink(target, sh.cwd, append);
    closers.push(() => sink.close());
    setOutput(fds, fd, sink);
    return undefined;
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === 'ENOENT' ? `can't create ${target}: nonexistent directory` : `can't create ${target}: ${fsErrorMessage(err)}`;
  }
}

function setInput(fds: Fds, fd: number, stream: InputStream): void {
  if (fd === 0) fds.stdin = stream;
}

function setOutput(fds: Fds, fd: number, writer: Writer): undefined {
  if (fd === 1) fds.stdout = writer;
  else if (fd === 2) fds.stderr = writer;
  return undefined;
}
