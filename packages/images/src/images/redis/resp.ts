/** The Redis protocol (RESP2): parsing requests and encoding replies. */

/** A reply value: string → bulk, null → nil, number → integer, arrays nest; Status and ErrorReply are the simple kinds. */
export type Reply = string | number | null | Reply[] | Status | ErrorReply;

/** A simple-string reply (`+OK`). */
export class Status {
  constructor(readonly text: string) {}
}

/** An error reply (`-ERR ...`). */
export class ErrorReply {
  constructor(readonly text: string) {}
}

/** Encodes a reply. */
export function encodeReply(r: Reply): string {
  if (r === null) return '$-1\r\n';
  if (typeof r === 'number') return `:${r}\r\n`;
  if (typeof r === 'string') return `$${Buffer.byteLength(r)}\r\n${r}\r\n`;
  if (r instanceof Status) return `+${r.text}\r\n`;
  if (r instanceof ErrorReply) return `-${r.text}\r\n`;
  return `*${r.length}\r\n${r.map(encodeReply).join('')}`;
}

/**
 * Takes complete commands off the front of a buffer: RESP arrays of bulk strings, or inline
 * commands (a line of words, as `telnet`/`nc` users type). Returns the commands and the rest.
 */
export function parseCommands(buffer: Buffer): { commands: string[][]; rest: Buffer; error?: string } {
  const commands: string[][] = [];
  let at = 0;
  while (at < buffer.length) {
    if (buffer[at] !== 0x2a) {
      const nl = buffer.indexOf('\n', at);
      if (nl < 0) break;
      const line = buffer.subarray(at, nl).toString('utf8').replace(/\r$/, '').trim();
      at = nl + 1;
      if (line !== '') commands.push(line.split(/\s+/));
      continue;
    }
    const parsed = parseArray(buffer, at);
    if (parsed === 'incomplete') break;
    if (typeof parsed === 'string') return { commands, rest: Buffer.alloc(0), error: parsed };
    commands.push(parsed.args);
    at = parsed.next;
  }
  return { commands, rest: buffer.subarray(at) };
}

function readLine(buffer: Buffer, at: number): { line: string; next: number } | undefined {
  const nl = buffer.indexOf('\r\n', at);
  return nl < 0 ? undefined : { line: buffer.subarray(at, nl).toString('utf8'), next: nl + 2 };
}

function parseArray(buffer: Buffer, start: number): { args: string[]; next: number } | 'incomplete' | string {
  const head = readLine(buffer, start + 1);
  if (!head) return 'incomplete';
  const count = Number(head.line);
  if (!Number.isInteger(count)) return 'Protocol error: invalid multibulk length';
  let at = head.next;
  const args: string[] = [];
  for (let i = 0; i < count; i++) {
    if (at >= buffer.length) return 'incomplete';
    if (buffer[at] !== 0x24) return `Protocol error: expected '$', got '${String.fromCharCode(buffer[at])}'`;
    const len = readLine(buffer, at + 1);
    if (!len) return 'incomplete';
    const n = Number(len.line);
    if (!Number.isInteger(n) || n < 0) return 'Protocol error: invalid bulk length';
    if (len.next + n + 2 > buffer.length) return 'incomplete';
    args.push(buffer.subarray(len.next, len.next + n).toString('utf8'));
    at = len.next + n + 2;
  }
  return { args, next: at };
}
