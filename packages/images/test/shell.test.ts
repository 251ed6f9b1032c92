import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScript, ShellSyntaxError } from '../src/shell/parser.js';
import { eventually, run, sh, start, tempDir } from './helpers.js';

interface Case {
  name: string;
  script: string;
  stdout?: string;
  stderr?: string;
  code?: number;
  env?: Record<string, string>;
}

const SCRIPTS: Case[] = [
  { name: 'echo joins its arguments', script: 'echo hello   world', stdout: 'hello world\n' },
  { name: 'echo -n leaves out the newline', script: 'echo -n a; echo b', stdout: 'ab\n' },
  { name: 'echo -e interprets escapes, plain echo does not', script: 'echo -e "a\\tb"; echo "a\\tb"', stdout: 'a\tb\na\\tb\n' },
  { name: 'single quotes keep everything literal', script: `echo '$HOME "x" \\n'`, stdout: '$HOME "x" \\n\n' },
  { name: 'double quotes expand variables but keep spaces', script: 'X="a  b"; echo "$X|${X}"; echo $X', stdout: 'a  b|a  b\na b\n' },
  { name: 'backslash escapes outside quotes', script: 'echo \\$HOME a\\ b', stdout: '$HOME a b\n' },
  { name: 'environment variables are visible', script: 'echo $GREETING ${GREETING}!', env: { GREETING: 'hi' }, stdout: 'hi hi!\n' },
  { name: 'parameter defaults and alternatives', script: 'echo ${UNSET:-d1} ${UNSET-d2} ${SET:+alt} ${UNSET:=assigned} $UNSET', env: { SET: 'x' }, stdout: 'd1 d2 alt assigned assigned\n' },
  { name: 'parameter length and affix removal', script: 'f=/var/log/app.log.gz; echo ${#f} ${f##*/} ${f%.*} ${f%%.*} ${f#/var/}', stdout: '19 app.log.gz /var/log/app.log /var/log/app log/app.log.gz\n' },
  { name: '$? holds the last status', script: 'false; echo $?; true; echo $?', stdout: '1\n0\n' },
  { name: ';, && and || chain by status', script: 'true && echo and; false && echo no; false || echo or; true || echo no2', stdout: 'and\nor\n' },
  { name: 'if/elif/else picks a branch', script: 'x=2; if [ $x -eq 1 ]; then echo one; elif [ $x -eq 2 ]; then echo two; else echo other; fi', stdout: 'two\n' },
  { name: 'while loop with arithmetic', script: 'i=0; while [ $i -lt 3 ]; do echo "i=$i"; i=$((i+1)); done', stdout: 'i=0\ni=1\ni=2\n' },
  { name: 'until loop', script: 'n=3; until [ $n -eq 0 ]; do echo $n; n=$((n - 1)); done', stdout: '3\n2\n1\n' },
  { name: 'for loop over words and a command substitution', script: 'for x in a "b c" $(echo d e); do echo "[$x]"; done', stdout: '[a]\n[b c]\n[d]\n[e]\n' },
  { name: 'break and continue', script: 'for i in 1 2 3 4 5; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done', stdout: '1\n3\n' },
  { name: 'case with patterns and alternatives', script: 'for f in a.txt b.log c; do case $f in *.txt|*.md) echo "$f text";; *.log) echo "$f log";; *) echo "$f other";; esac; done', stdout: 'a.txt text\nb.log log\nc other\n' },
  { name: 'command substitution, nested and backquoted', script: 'echo "$(echo outer $(echo inner))" `echo back`', stdout: 'outer inner back\n' },
  { name: 'arithmetic expansion', script: 'a=7; echo $((a * 2 + 1)) $(( (a - 1) / 4 )) $((a % 4)) $((a > 5 ? 10 : 20)) $((b += 3)) $b', stdout: '15 1 3 10 3 3\n' },
  { name: 'functions with arguments, local and return', script: 'greet() { local who=$1; echo "hello $who ($#)"; return 3; }; greet world x; echo $? ${who:-unset}', stdout: 'hello world (2)\n3 unset\n' },
  { name: 'pipes connect commands', script: 'printf "b\\na\\nc\\n" | sort | head -n 2', stdout: 'a\nb\n' },
  { name: 'pipeline status is the last command\'s, ! negates', script: 'false | true; echo $?; ! true; echo $?', stdout: '0\n1\n' },
  { name: 'grep filters and wc -l counts', script: 'seq 1 20 | grep 1 | wc -l', stdout: '11\n' },
  { name: 'redirections create, append and read files', script: 'echo one > /tmp/f; echo two >> /tmp/f; cat < /tmp/f; wc -l < /tmp/f', stdout: 'one\ntwo\n2\n' },
  { name: '2>&1 sends errors to stdout', script: 'cat /missing 2>&1 | tr a-z A-Z', stdout: "CAT: CAN'T OPEN '/MISSING': NO SUCH FILE OR DIRECTORY\n" },
  { name: '>/dev/null and 2>/dev/null discard output', script: 'echo hidden > /dev/null; cat /missing 2>/dev/null; echo $?', stdout: '1\n' },
  { name: '>&2 writes to stderr', script: 'echo oops >&2', stdout: '', stderr: 'oops\n' },
  { name: 'here-documents expand, quoted ones do not', script: 'X=1\ncat <<EOF\nx=$X\nEOF\ncat <<\'EOF\'\nx=$X\nEOF', stdout: 'x=1\nx=$X\n' },
  { name: 'read splits lines from a file in a loop', script: 'printf "a 1\\nb 2\\n" > /tmp/in; while read k v; do echo "$v-$k"; done < /tmp/in', stdout: '1-a\n2-b\n' },
  { name: 'exit N ends the script with N', script: 'echo before; exit 4; echo after', stdout: 'before\n', code: 4 },
  { name: 'a subshell\'s exit does not end the script', script: '(exit 3); echo $?; (cd /tmp; pwd); pwd', stdout: '3\n/tmp\n/\n' },
  { name: 'an unknown command is not found, status 127', script: 'nosuchcmd arg; echo $?', stdout: '127\n', stderr: 'sh: nosuchcmd: not found\n' },
  { name: 'set -e stops at the first failure outside conditions', script: 'set -e; if false; then :; fi; false || true; echo reached; false; echo not', stdout: 'reached\n', code: 1 },
  { name: 'globs expand to sorted matching files', script: 'mkdir -p /d; touch /d/b.log /d/a.log /d/c.txt; echo /d/*.log; echo /d/*.none', stdout: '/d/a.log /d/b.log\n/d/*.none\n' },
  { name: '"$@" keeps arguments apart', script: 'f() { for a in "$@"; do echo "<$a>"; done; }; f "x y" z', stdout: '<x y>\n<z>\n' },
  { name: 'export passes variables to child programs', script: 'A=1; export B=2; printenv A B; echo $?', stdout: '2\n1\n' },
  { name: 'prefix assignments apply to one command', script: 'LEVEL=debug printenv LEVEL; echo "[${LEVEL}]"', stdout: 'debug\n[]\n' },
  { name: 'eval runs a built string', script: 'cmd="echo evaluated"; eval $cmd', stdout: 'evaluated\n' },
  { name: 'comments and line continuations', script: 'echo a \\\n  b # a comment\n# another\necho c', stdout: 'a b\nc\n' },
  { name: 'background jobs and wait', script: '(sleep 0.05; echo bg) & echo fg; wait; echo done', stdout: 'fg\nbg\ndone\n' },
  { name: 'a syntax error is reported with status 2', script: 'if true; then echo x', stderr: 'sh: syntax error: unexpected end of file\n', code: 2 },
  { name: 'EXIT traps run when the script ends', script: 'trap "echo bye" EXIT; echo hi', stdout: 'hi\nbye\n' },
];

const APPLETS: Case[] = [
  { name: 'printenv prints named variables (the docs\' command example)', script: 'printenv HOSTNAME KUBERNETES_PORT', env: { KUBERNETES_PORT: 'tcp://10.3.240.1:443' }, stdout: 'test-pod\ntcp://10.3.240.1:443\n' },
  { name: 'hostname prints the pod name, -i its address', script: 'hostname; hostname -i', stdout: 'test-pod\n127.77.' },
  { name: 'printf formats and reuses its format', script: 'printf "%s:%d;" a 1 b 2; printf "%5.1f|%-3s|%x\\n" 3.14159 ab 255', stdout: 'a:1;b:2;  3.1|ab |ff\n' },
  { name: 'test and [ compare strings, numbers and files', script: '[ a = a ] && echo s; [ 3 -gt 2 ] && echo n; [ -d /tmp ] && echo d; [ -f /none ] || echo nf; test -z "" && echo z; [ ! -e /none -a 1 -eq 1 ] && echo compound', stdout: 's\nn\nd\nnf\nz\ncompound\n' },
  { name: 'expr computes and matches', script: 'expr 2 + 3 \\* 4; expr length hello; expr hello : "h\\(.*\\)o"; expr 1 = 2; echo $?', stdout: '14\n5\nell\n0\n1\n' },
  { name: 'touch, mkdir -p, ls and rm -rf work on the container\'s files', script: 'mkdir -p /a/b/c && touch /a/b/c/f /a/x && ls /a && rm -rf /a/b && ls /a; rm /nope; echo $?; rm -f /nope; echo $?', stdout: 'b\nx\nx\n1\n0\n' },
  { name: 'head and tail pick lines', script: 'seq 10 > /tmp/n; head -3 /tmp/n; tail -n 2 /tmp/n; tail -n +9 /tmp/n', stdout: '1\n2\n3\n9\n10\n9\n10\n' },
  { name: 'grep options: -i, -v, -c, -n, -q, -E', script: 'printf "Apple\\nbanana\\ncherry\\n" > /f; grep -i apple /f; grep -c an /f; grep -n cherry /f; grep -vE "^(A|b)" /f; grep -q zzz /f; echo $?', stdout: 'Apple\n1\n3:cherry\ncherry\n1\n' },
  { name: 'wc counts lines, words and bytes', script: 'printf "a b\\nc\\n" | wc -l; printf "a b\\nc\\n" | wc -w; printf "abc" | wc -c', stdout: '2\n3\n3\n' },
  { name: 'seq, cut, tr, uniq and sort', script: 'echo "a:b:c" | cut -d: -f2,3; echo hello | tr a-z A-Z; printf "x\\nx\\ny\\n" | uniq -c; printf "10\\n9\\n100\\n" | sort -n | tr "\\n" " "', stdout: 'b:c\nHELLO\n      2 x\n      1 y\n9 10 100 ' },
  { name: 'date formats in UTC', script: 'date +%Z; date -u +%Y | grep -c "^20[0-9][0-9]$"', stdout: 'UTC\n1\n' },
  { name: 'env lists and runs with extra variables', script: 'env -i A=1 printenv A; env | grep -c "^HOSTNAME=test-pod$"', stdout: '1\n1\n' },
  { name: 'cp, mv and ln -s', script: 'echo data > /src; cp /src /dst; mv /dst /moved; ln -s /moved /link; cat /link; ls / | grep -c -E "^(src|moved|link)$"', stdout: 'data\n3\n' },
  { name: 'basename and dirname', script: 'basename /a/b/c.txt .txt; dirname /a/b/c.txt', stdout: 'c\n/a/b\n' },
  { name: 'sed substitutes, prints, deletes and edits in place', script: 'printf "a=1\\nb=2\\nc=3\\n" > /f; sed "s/=/: /" /f | head -1; sed -n 2p /f; sed "/b/d" /f | tr "\\n" " "; sed -i "s/\\([a-z]\\)=\\(.*\\)/\\2=\\1/" /f; cat /f | head -1; seq 6 | sed "2,4d" | tr "\\n" " "', stdout: 'a: 1\nb=2\na=1 c=3 1=a\n1 5 6 ' },
  { name: 'busybox runs its applets by name', script: 'busybox echo via-busybox', stdout: 'via-busybox\n' },
  { name: 'nslookup cannot resolve unknown names', script: 'nslookup nowhere.example >/dev/null 2>&1; echo $?', stdout: '1\n' },
];

async function expectCase(c: Case): Promise<void> {
  const r = await sh(c.script, { env: c.env ?? {} });
  if (c.stdout !== undefined) {
    if (c.stdout.endsWith('\n') || c.stdout === '') expect(r.stdout).toBe(c.stdout);
    else expect(r.stdout.startsWith(c.stdout)).toBe(true);
  }
  if (c.stderr !== undefined) expect(r.stderr).toBe(c.stderr);
  expect(r.code).toBe(c.code ?? 0);
}

describe('the built-in shell runs scripts', () => {
  it.each(SCRIPTS)('$name', expectCase);
});

describe('the applets behave like busybox', () => {
  it.each(APPLETS)('$name', expectCase);
});

describe('parsing', () => {
  it.each([
    ['unterminated quote', 'echo "abc', 'syntax error: unterminated quoted string'],
    ['fi without if', 'fi', 'syntax error: unexpected "fi"'],
    ['missing done', 'while true; do echo', 'syntax error: unexpected end of file'],
    ['dangling pipe', 'echo |', 'syntax error: unexpected end of file'],
    ['stray )', 'echo a )', 'syntax error: unexpected ")"'],
  ])('rejects %s', (_name, script, message) => {
    expect(() => parseScript(script)).toThrow(new ShellSyntaxError(message, 1));
  });

  it('builds and-or lists of pipelines', () => {
    const list = parseScript('a | b && c; d &');
    expect(list.items.map((i) => [i.command.type, i.background])).toEqual([
      ['andor', false],
      ['simple', true],
    ]);
  });

  it('separates assignments, words and redirections', () => {
    const cmd = parseScript('A=1 B=$x cmd arg 2>&1 >out').items[0].command;
    expect(cmd.type).toBe('simple');
    if (cmd.type !== 'simple') return;
    expect(cmd.assigns.map((a) => a.name)).toEqual(['A', 'B']);
    expect(cmd.words).toHaveLength(2);
    expect(cmd.redirects.map((r) => [r.fd, r.op])).toEqual([
      [2, '>&'],
      [1, '>'],
    ]);
  });
});

describe('the docs\' exec-liveness container', () => {
  it('creates /tmp/healthy, removes it later, then keeps sleeping', async () => {
    const root = tempDir();
    const c = start({
      image: 'registry.k8s.io/busybox',
      rootfs: root.dir,
      args: ['/bin/sh', '-c', 'touch /tmp/healthy; sleep 0.3; rm -f /tmp/healthy; sleep 600'],
    });
    const healthy = join(root.dir, 'tmp/healthy');
    await eventually(() => existsSync(healthy));
    await eventually(() => !existsSync(healthy));
    // `sleep` is PID 1 (the last command of `sh -c` is exec'd): SIGTERM is ignored, as in Kubernetes.
    const outcome = await Promise.race([c.stop(), new Promise((r) => setTimeout(() => r('still running'), 300))]);
    expect(outcome).toBe('still running');
    root.cleanup();
  });
});

describe('SIGTERM', () => {
  it('runs a TERM trap, cutting a sleep short', async () => {
    const c = start({ image: 'busybox', command: ['sh', '-c', 'trap "echo caught; exit 0" TERM; echo ready; while true; do sleep 10; done'] });
    await eventually(() => c.stdout().includes('ready'));
    expect(await c.stop()).toBe(0);
    expect(c.stdout()).toBe('ready\ncaught\n');
  });

  it('ends `wait` in a trapped shell', async () => {
    const c = start({ image: 'busybox', command: ['sh', '-c', 'trap "echo term; exit 143" SIGTERM; sleep 100 & wait'] });
    await new Promise((r) => setTimeout(r, 100));
    expect(await c.stop()).toBe(143);
    expect(c.stdout()).toBe('term\n');
  });

  it('is ignored by a shell running as PID 1 without a trap', async () => {
    const c = start({ image: 'busybox', command: ['sh', '-c', 'echo start; sleep 100; echo end'] });
    await eventually(() => c.stdout() === 'start\n');
    const outcome = await Promise.race([c.stop(), new Promise((r) => setTimeout(() => r('still running'), 300))]);
    expect(outcome).toBe('still running');
  });
});

describe('images with a shell', () => {
  it('busybox without command runs `sh`, which exits at once', async () => {
    expect(await run({ image: 'busybox' })).toEqual({ stdout: '', stderr: '', code: 0 });
  });

  it('runs a script file from a volume by path', async () => {
    const vol = tempDir();
    writeFileSync(join(vol.dir, 'run.sh'), '#!/bin/sh\necho "script $1"\nexit 5\n');
    const r = await run({ image: 'alpine:3.19', command: ['/scripts/run.sh', 'arg'], mounts: [{ mountPath: '/scripts', hostPath: vol.dir }] });
    expect(r).toMatchObject({ stdout: 'script arg\n', code: 5 });
    vol.cleanup();
  });

  it('dash (debian, ubuntu) words errors with line numbers and interprets echo escapes', async () => {
    const r = await run({ image: 'ubuntu:22.04', command: ['sh', '-c', 'echo "a\\tb"\nnope'] });
    expect(r.stdout).toBe('a\tb\n');
    expect(r.stderr).toBe('sh: 2: nope: not found\n');
    expect(r.code).toBe(127);
  });

  it('bash says "command not found"', async () => {
    const r = await run({ image: 'debian:12', command: ['bash', '-c', 'nope'] });
    expect(r.stderr).toBe('bash: line 1: nope: command not found\n');
  });

  it('an unknown executable fails to start (exit 128)', async () => {
    const r = await run({ image: 'busybox', command: ['/no/such/binary'] });
    expect(r.code).toBe(128);
    expect(r.stderr).toContain('executable file not found');
  });

  it('appends to a file on a volume that outlives the container (the counter pattern)', async () => {
    const vol = tempDir();
    const script = 'i=0; while [ $i -lt 3 ]; do echo "$i: $(date)" >> /var/log/1.log; i=$((i+1)); done';
    await run({ image: 'busybox', args: ['/bin/sh', '-c', script], mounts: [{ mountPath: '/var/log', hostPath: vol.dir }] });
    const lines = readFileSync(join(vol.dir, '1.log'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split(':')[0])).toEqual(['0', '1', '2']);
    vol.cleanup();
  });

  it('cannot write to a read-only volume', async () => {
    const vol = tempDir();
    mkdirSync(join(vol.dir, 'sub'));
    const r = await run({ image: 'busybox', command: ['sh', '-c', 'echo x > /config/f; echo $?'], mounts: [{ mountPath: '/config', hostPath: vol.dir, readOnly: true }] });
    expect(r.stdout).toBe('1\n');
    expect(r.stderr).toBe("sh: can't create /config/f: Read-only file system\n");
    vol.cleanup();
  });

  it('runs the working directory given', async () => {
    const r = await run({ image: 'busybox', command: ['pwd'], workingDir: '/work/dir' });
    expect(r.stdout).toBe('/work/dir\n');
  });
});
