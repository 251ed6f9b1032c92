import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerFs } from '../src/fs/container-fs.js';
import { baseName, containerComponents, dirName, normalizeContainerPath } from '../src/fs/paths.js';
import { tempDir } from './helpers.js';

describe('container path arithmetic', () => {
  it.each([
    ['/a/b/../c', '/', '/a/c'],
    ['../../../etc/passwd', '/', '/etc/passwd'],
    ['/..', '/', '/'],
    ['x/./y/', '/home', '/home/x/y'],
    ['..', '/tmp', '/'],
    ['', '/srv', '/srv'],
  ])('%s from %s is %s', (path, cwd, expected) => {
    expect(normalizeContainerPath(path, cwd)).toBe(expected);
  });

  it.each([
    ['/a/b/c.txt', 'c.txt', '/a/b'],
    ['c.txt', 'c.txt', '.'],
    ['/a/', 'a', '/'],
    ['/', '/', '/'],
  ])('basename and dirname of %s', (path, base, dir) => {
    expect(baseName(path)).toBe(base);
    expect(dirName(path)).toBe(dir);
  });

  it('splits into components', () => {
    expect(containerComponents('/a//b/./c')).toEqual(['a', 'b', 'c']);
  });
});

describe('ContainerFs resolves container paths to host files', () => {
  const root = tempDir();
  const vol = tempDir();
  const inner = tempDir();
  const outside = tempDir();
  writeFileSync(join(outside.dir, 'secret'), 'host secret');
  mkdirSync(join(root.dir, 'etc'));
  writeFileSync(join(root.dir, 'etc/passwd'), 'container passwd');
  symlinkSync(join(outside.dir, 'secret'), join(root.dir, 'abs-link'));
  symlinkSync('../../../../../../..' + outside.dir, join(root.dir, 'etc/climb'));
  symlinkSync('/etc/passwd', join(root.dir, 'passwd-link'));
  symlinkSync('/', join(vol.dir, 'to-root'));
  const fs = new ContainerFs(root.dir, [
    { mountPath: '/data', hostPath: vol.dir },
    { mountPath: '/data/inner/', hostPath: inner.dir, readOnly: true },
  ]);
  afterAll(() => [root, vol, inner, outside].forEach((d) => d.cleanup()));

  it.each([
    ['/etc/passwd', () => join(root.dir, 'etc/passwd')],
    ['/data/file', () => join(vol.dir, 'file')],
    ['/data', () => vol.dir],
    ['/data/inner/x', () => join(inner.dir, 'x')],
    ['/datax/file', () => join(root.dir, 'datax/file')],
    ['/data/../etc/passwd', () => join(root.dir, 'etc/passwd')],
    ['../../..' + '/etc/passwd', () => join(root.dir, 'etc/passwd')],
  ])('%s', async (path, host) => {
    expect((await fs.resolve(path)).hostPath).toBe(host());
  });

  it('marks paths on a read-only volume', async () => {
    expect((await fs.resolve('/data/inner/x')).readOnly).toBe(true);
    await expect(fs.writeFile('/data/inner/x', '/', 'no')).rejects.toMatchObject({ code: 'EROFS' });
  });

  it('follows an absolute symlink from the container root, not the host root', async () => {
    const r = await fs.resolve('/abs-link');
    expect(r.hostPath.startsWith(root.dir)).toBe(true);
    await expect(fs.readFile('/abs-link')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('stops a relative symlink climbing at the container root', async () => {
    const r = await fs.resolve('/etc/climb/secret');
    expect(r.hostPath.startsWith(root.dir)).toBe(true);
    await expect(fs.readFile('/etc/climb/secret')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('resolves a symlink on a volume inside the container', async () => {
    expect((await fs.resolve('/data/to-root/etc/passwd')).hostPath).toBe(join(root.dir, 'etc/passwd'));
    expect((await fs.readFile('/passwd-link')).toString()).toBe('container passwd');
  });

  it('reads /dev/null as empty and swallows writes to it', async () => {
    expect((await fs.readFile('/dev/null')).length).toBe(0);
    await fs.writeFile('/dev/null', '/', 'gone');
  });

  it('writes through mounts and lists mount points', async () => {
    await fs.writeFile('/data/new.txt', '/', 'hello');
    expect(readFileSync(join(vol.dir, 'new.txt'), 'utf8')).toBe('hello');
    expect(await fs.readdir('/')).toContain('data');
  });

  it('detects symlink loops', async () => {
    symlinkSync('/loop', join(root.dir, 'loop'));
    await expect(fs.resolve('/loop/x')).rejects.toMatchObject({ code: 'ELOOP' });
  });
});
