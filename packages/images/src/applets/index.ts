import type { Program } from '../process.js';
import * as basic from './basic.js';
import * as files from './files.js';
import { expr, test } from './logic.js';
import { nc, nslookup, wget } from './net.js';
import { sed } from './sed.js';
import * as text from './text.js';

/** The utilities every image with a shell has (busybox's applets, by the names scripts call them). */
export const APPLETS: Record<string, Program> = {
  sleep: basic.sleep,
  echo: basic.echo,
  printf: basic.printf,
  true: basic.trueProgram,
  false: basic.falseProgram,
  printenv: basic.printenv,
  env: basic.env,
  hostname: basic.hostname,
  date: basic.date,
  seq: basic.seq,
  yes: basic.yes,
  id: basic.id,
  whoami: basic.whoami,
  uname: basic.uname,
  basename: basic.basename,
  dirname: basic.dirname,
  pwd: basic.pwd,
  cat: files.cat,
  touch: files.touch,
  rm: files.rm,
  mkdir: files.mkdir,
  rmdir: files.rmdir,
  ls: files.ls,
  cp: files.cp,
  mv: files.mv,
  ln: files.ln,
  chmod: files.chmod,
  tee: files.tee,
  head: text.head,
  tail: text.tail,
  grep: text.grep,
  egrep: text.grep,
  wc: text.wc,
  sort: text.sort,
  uniq: text.uniq,
  tr: text.tr,
  cut: text.cut,
  sed,
  test,
  '[': test,
  expr,
  wget,
  nslookup,
  nc,
};
