/**
 * Container log files as `kubectl logs` shows them: whole lines, optionally only the last
 * `tailLines`, only those newer than `sinceSeconds`, prefixed with their RFC 3339 time, cut at
 * `limitBytes`. A log file holds the raw output of one attempt; its `.times` companion file maps
 * byte offsets to when the kubelet saw them appear (`<offset> <epoch ms>` per line).
 */
import fs from 'node:fs';

export interface LogOptions {
  tailLines?: number;
  sinceSeconds?: number;
  timestamps?: boolean;
  limitBytes?: number;
}

/** Offsets and times from a `.times` file, ascending. */
export type TimeIndex = { offset: number; ms: number }[];

/** One line and where it starts in the file. */
interface Line {
  text: string;
  offset: number;
}

/** Splits raw output into lines, keeping each one's newline and start offset. */
export function splitLines(buf: Buffer, base = 0): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start < buf.length) {
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl + 1;
    lines.push({ text: buf.subarray(start, end).toString('utf8'), offset: base + start });
    start = end;
  }
  return lines;
}

/** When the byte at `offset` was seen: the first index entry past it, else `fallbackMs`. */
export function timeAt(index: TimeIndex, offset: number, fallbackMs: number): number {
  let lo = 0;
  let hi = index.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (index[mid].offset > offset) hi = mid;
    else lo = mid + 1;
  }
  return lo < index.length ? index[lo].ms : fallbackMs;
}

/** RFC 3339 with nanoseconds, as the kubelet prefixes lines with `--timestamps`. */
export function rfc3339Nano(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

/** Applies the options to raw output. Pure. */
export function formatLog(buf: Buffer, index: TimeIndex, opts: LogOptions, nowMs: number, fallbackMs: number): string {
  let lines = splitLines(buf);
  if (opts.sinceSeconds !== undefined) {
    const from = nowMs - opts.sinceSeconds * 1000;
    lines = lines.filter((l) => timeAt(index, l.offset, fallbackMs) >= from);
  }
  if (opts.tailLines !== undefined) lines = opts.tailLines <= 0 ? [] : lines.slice(-opts.tailLines);
  let out = lines.map((l) => (opts.timestamps ? `${rfc3339Nano(timeAt(index, l.offset, fallbackMs))} ${l.text}` : l.text)).join('');
  if (opts.limitBytes !== undefined) out = Buffer.from(out).subarray(0, Math.max(0, opts.limitBytes)).toString('utf8');
  return out;
}

/** Reads a `.times` file; empty when there is none. */
export function readTimeIndex(logPath: string): TimeIndex {
  let text = '';
  try {
    text = fs.readFileSync(`${logPath}.times`, 'utf8');
  } catch {
    return [];
  }
  const out: TimeIndex = [];
  for (const line of text.split('\n')) {
    const [o, t] = line.split(' ');
    if (o && t) out.push({ offset: Number(o), ms: Number(t) });
  }
  return out;
}

/** Reads and formats a whole log file. */
export function readLogFile(logPath: string, opts: LogOptions, nowMs: number): string {
  const buf = fs.readFileSync(logPath);
  const mtime = fs.statSync(logPath).mtimeMs;
  return formatLog(buf, readTimeIndex(logPath), opts, nowMs, mtime);
}
