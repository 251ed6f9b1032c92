/**
 * Controller expectations (pkg/controller UIDTrackingControllerExpectations): a controller that
 * just asked for N pod creations or deletions must not act on the same key again until its
 * informer has seen them, or a slow informer would make it create (or delete) twice. Deletions
 * are tracked by pod key, so the two events of a graceful delete (deletionTimestamp set, then
 * gone) count once. Expectations older than a TTL count as met, so a lost event cannot wedge a
 * controller forever.
 */
import type { Clock } from '@kubesim/api';

interface Expectation {
  adds: number;
  deletes: Set<string>;
  at: number;
}

/** Pending creations and deletions per controller key. */
export class Expectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock,
    /** After this long an unmet expectation is treated as met (upstream: 5 minutes). */
    private readonly ttlMs: number,
  ) {}

  /** True when the controller may act on `key`: nothing is pending, or what is pending expired. */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.at > this.ttlMs;
  }

  /** Records that `count` creations were just requested for `key` (replacing older expectations). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: count, deletes: new Set(), at: this.clock.now() });
  }

  /** Records that the pods with these keys were just asked to be deleted. */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(podKeys), at: this.clock.now() });
  }

  /** One creation was seen (or will never happen because its request failed). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e) e.adds--;
  }

  /** The deletion of one pod was seen (or its request failed); a second call for the same pod is a no-op. */
  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  /** Forgets `key` (its object is gone). */
  delete(key: string): void {
    this.byKey.delete(key);
  }
}
