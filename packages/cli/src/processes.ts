import fs from 'node:fs';

/**
 * A process as kubesim recorded it: its pid plus the kernel's start time for it (Linux), so a pid
 * reused by some unrelated process is never mistaken for ours and never signalled.
 */
export interface ProcessRef {
  pid: number;
  /** Field 22 of /proc/<pid>/stat; null where /proc is not available. */
  startTicks: string | null;
}

/** Reads /proc/<pid>/stat: the process state letter and start time, or null if unreadable. */
function procStat(pid: number): { state: string; startTicks: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: split after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTicks: fields[19] };
  } catch {
    return null;
  }
}

/** The reference to record for a process just started. */
export function processRef(pid: number): ProcessRef {
  return { pid, startTicks: procStat(pid)?.startTicks ?? null };
}

/** True if the process exists, is not a zombie and (where known) is the one that was recorded. */
export function isAlive(ref: ProcessRef): boolean {
  try {
    process.kill(ref.pid, 0);
  } catch {
    // ESRCH: gone. EPERM: it exists but belongs to another user, so it is not ours.
    return false;
  }
  const stat = procStat(ref.pid);
  if (!stat) return process.platform !== 'linux';
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return ref.startTicks === null || stat.startTicks === ref.startTicks;
}

/** Signals the process if it is still the recorded one; returns whether a signal was sent. */
export function signal(ref: ProcessRef, sig: NodeJS.Signals): boolean {
  if (!isAlive(ref)) return false;
  try {
    process.kill(ref.pid, sig);
    return true;
  } catch {
    return false;
  }
}

/** Resolves true once the process is gone, false if it is still alive after `timeoutMs`. */
export async function waitForExit(ref: ProcessRef, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(ref)) {
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/** SIGTERM, up to `graceMs` to exit, then SIGKILL. Returns whether the process was running. */
export async function terminate(ref: ProcessRef, graceMs: number): Promise<boolean> {
  if (!signal(ref, 'SIGTERM')) return false;
  if (!(await waitForExit(ref, graceMs))) {
    signal(ref, 'SIGKILL');
    await waitForExit(ref, 5000);
  }
  return true;
}
