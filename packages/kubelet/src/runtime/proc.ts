/**
 * Facts about OS processes from /proc, so a recorded pid is only ever signalled when it is still
 * the same process (same pid and same start time), never a later process that reused the pid.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { ContainerSpec } from './types.js';

/** State letter (`R`, `S`, `Z`...) and start time (clock ticks since boot) of a process. */
export function procStat(pid: number): { state: string; startTime: string } | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: fields resume after the last ')'.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { state: rest[0], startTime: rest[19] };
}

/** True when `pid` is alive (not a zombie) and started at `startTime`. */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  const st = procStat(pid);
  if (!st || st.state === 'Z' || st.state === 'X') return false;
  return startTime === undefined || st.startTime === startTime;
}

/** Signals a process group (the container and anything it started); ignores a gone group. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** The shell convention for a process ended by a signal: 128 + its number. */
export function signalExitCode(signal: NodeJS.Signals | null | undefined): number {
  const n = signal ? os.constants.signals[signal] : undefined;
  return n ? 128 + n : 137;
}

/** The exit code a container wrote to its exit file, or undefined when there is none. */
export function readExitFile(file: string): number | undefined {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** A container process found in /proc by the exit file its environment names. */
export interface FoundProcess {
  pid: number;
  startTime: string;
  exitFile: string;
}

/**
 * Every live process whose `KUBESIM_EXIT_FILE` lies under `rootDir`: the containers of this
 * node, including any whose pid never made it into a state file.
 */
export function findContainerProcesses(rootDir: string): FoundProcess[] {
  const prefix = `KUBESIM_EXIT_FILE=${rootDir.replace(/\/+$/, '')}/`;
  const found: FoundProcess[] = [];
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return found;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e) || Number(e) === process.pid) continue;
    let env: string;
    try {
      env = fs.readFileSync(`/proc/${e}/environ`, 'latin1');
    } catch {
      continue;
    }
    const hit = env.split('\0').find((v) => v.startsWith(prefix));
    const st = hit ? procStat(Number(e)) : undefined;
    if (hit && st && st.state !== 'Z') found.push({ pid: Number(e), startTime: st.startTime, exitFile: hit.slice('KUBESIM_EXIT_FILE='.length) });
  }
  return found;
}

/** SIGKILLs a process group if `pid` is still the process that started at `startTime`; waits up to `timeoutMs` for it to go. */
export async function killAndWait(pid: number, startTime: string | undefined, timeoutMs = 5000): Promise<void> {
  if (!isSameProcess(pid, startTime)) return;
  signalGroup(pid, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  while (isSameProcess(pid, startTime) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/**
 * The ContainerSpec a process-runtime container was started with, from its environment
 * (`KUBESIM_CONTAINER_SPEC`): what a kubelet that adopted the process knows of its env and rootfs.
 */
export function processContainerSpec(pid: number): ContainerSpec | undefined {
  try {
    const hit = fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').find((v) => v.startsWith('KUBESIM_CONTAINER_SPEC='));
    return hit ? (JSON.parse(hit.slice('KUBESIM_CONTAINER_SPEC='.length)) as ContainerSpec) : undefined;
  } catch {
    return undefined;
  }
}
