/** Byte streams between the programs of one container: output writers, input streams and pipes. */

/** Where a program writes. A write may wait (a full pipe) or throw BrokenPipeError (reader gone). */
export interface Writer {
  write(chunk: string | Uint8Array): void | Promise<void>;
}

/** Thrown by a pipe writer once the reading side has closed (what SIGPIPE is to a real process). */
export class BrokenPipeError extends Error {
  constructor() {
    super('broken pipe');
    this.name = 'BrokenPipeError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes a chunk as bytes. */
export function toBytes(chunk: string | Uint8Array): Uint8Array {
  return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}

/** Decodes bytes as UTF-8 text. */
export function toText(chunk: string | Uint8Array): string {
  return typeof chunk === 'string' ? chunk : decoder.decode(chunk);
}

/** A writer that forwards each chunk to a callback. */
export function callbackWriter(fn: (chunk: string | Uint8Array) => void): Writer {
  return { write: (chunk) => fn(chunk) };
}

/** A writer that drops everything (/dev/null). */
export const nullWriter: Writer = { write: () => undefined };

/** A writer that collects everything written, for command substitution and tests. */
export class BufferWriter implements Writer {
  private chunks: Uint8Array[] = [];
  write(chunk: string | Uint8Array): void {
    this.chunks.push(toBytes(chunk));
  }
  bytes(): Uint8Array {
    return concatBytes(this.chunks);
  }
  text(): string {
    return decoder.decode(this.bytes());
  }
}

/** Joins byte chunks into one array. */
export function concatBytes(chunks: Uint8Array[]): Uint8Array {
  let size = 0;
  for (const c of chunks) size += c.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * A program's standard input. Buffered, so that a line-reading builtin (`read`) called many
 * times on one stream consumes exactly one line each time, as reading a real fd does.
 */
export class InputStream {
  private buffer: Uint8Array = new Uint8Array(0);
  private ended = false;

  constructor(
    private readonly pull: () => Promise<Uint8Array | null>,
    private readonly onClose: () => void = () => undefined,
  ) {}

  /** A stream that is at end of file from the start (a container has no stdin). */
  static empty(): InputStream {
    return new InputStream(async () => null);
  }

  /** A stream over fixed bytes (a file, a here-document). */
  static from(data: string | Uint8Array): InputStream {
    let given = false;
    return new InputStream(async () => {
      if (given) return null;
      given = true;
      return toBytes(data);
    });
  }

  /** Next chunk, or null at end of file. */
  async read(): Promise<Uint8Array | null> {
    if (this.buffer.length > 0) {
      const out = this.buffer;
      this.buffer = new Uint8Array(0);
      return out;
    }
    return this.pullMore();
  }

  /** Next line without its newline, or null at end of file. */
  async readLine(): Promise<string | null> {
    for (;;) {
      const nl = this.buffer.indexOf(10);
      if (nl >= 0) {
        const line = this.buffer.subarray(0, nl);
        this.buffer = this.buffer.subarray(nl + 1);
        return decoder.decode(line);
      }
      const more = await this.pullMore();
      if (more === null) {
        if (this.buffer.length === 0) return null;
        const rest = this.buffer;
        this.buffer = new Uint8Array(0);
        return decoder.decode(rest);
      }
      this.buffer = concatBytes([this.buffer, more]);
    }
  }

  /** Everything up to end of file. */
  async readAll(): Promise<Uint8Array> {
    const chunks: Uint8Array[] = [this.buffer];
    this.buffer = new Uint8Array(0);
    for (let c = await this.pullMore(); c !== null; c = await this.pullMore()) chunks.push(c);
    return concatBytes(chunks);
  }

  /** Everything up to end of file, as text. */
  async readText(): Promise<string> {
    return decoder.decode(await this.readAll());
  }

  /** Stops reading: a writer still feeding this stream gets BrokenPipeError. */
  close(): void {
    this.ended = true;
    this.onClose();
  }

  private async pullMore(): Promise<Uint8Array | null> {
    if (this.ended) return null;
    const chunk = await this.pull();
    if (chunk === null) this.ended = true;
    return chunk;
  }
}

const PIPE_HIGH_WATER = 64 * 1024;

/** A pipe writer: `close()` is end of file for the reader. */
export interface PipeWriter extends Writer {
  close(): void;
}

/** An in-memory pipe like `|`: bounded (a writer waits while 64 KiB are unread), EPIPE once the reader closes. */
export function createPipe(): { writer: PipeWriter; reader: InputStream } {
  const queue: Uint8Array[] = [];
  let queued = 0;
  let writerClosed = false;
  let readerClosed = false;
  let wakeReader: (() => void) | undefined;
  let wakeWriter: (() => void) | undefined;
  const wake = () => {
    wakeReader?.();
    wakeReader = undefined;
  };
  const writer: PipeWriter = {
    async write(chunk) {
      if (readerClosed) throw new BrokenPipeError();
      const bytes = toBytes(chunk);
      if (bytes.length === 0) return;
      queue.push(bytes);
      queued += bytes.length;
      wake();
      while (queued > PIPE_HIGH_WATER && !readerClosed) await new Promise<void>((r) => (wakeWriter = r));
      if (readerClosed) throw new BrokenPipeError();
    },
    close() {
      writerClosed = true;
      wake();
    },
  };
  const reader = new InputStream(
    async () => {
      while (queue.length === 0 && !writerClosed) await new Promise<void>((r) => (wakeReader = r));
      const chunk = queue.shift();
      if (!chunk) return null;
      queued -= chunk.length;
      wakeWriter?.();
      wakeWriter = undefined;
      return chunk;
    },
    () => {
      readerClosed = true;
      wakeWriter?.();
      wakeWriter = undefined;
    },
  );
  return { writer, reader };
}
