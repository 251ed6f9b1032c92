import fs from 'node:fs';

/** The last `n` lines of a file (without their newlines), read from the end; [] if unreadable. */
export function tailLines(file: string, n: number): string[] {
  if (n <= 0) return [];
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    let pos = fs.fstatSync(fd).size;
    let data = Buffer.alloc(0);
    // n full lines need n + 1 newlines in hand (counting the one that ends the last line).
    while (pos > 0 && countNewlines(data) <= n) {
      const len = Math.min(64 * 1024, pos);
      pos -= len;
      const chunk = Buffer.alloc(len);
      fs.readSync(fd, chunk, 0, len, pos);
      data = Buffer.concat([chunk, data]);
    }
    const text = data.toString('utf8').replace(/\n$/, '');
    return text === '' ? [] : text.split('\n').slice(-n);
  } finally {
    fs.closeSync(fd);
  }
}

function countNewlines(buf: Buffer): number {
  let count = 0;
  for (let i = buf.indexOf(10); i !== -1; i = buf.indexOf(10, i + 1)) count++;
  return count;
}
