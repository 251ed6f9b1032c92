/**
 * Claims on Service addresses (ClusterIPs and NodePorts), so that apiservers sharing one store
 * (`kubesim up --ha`) never hand the same address to two Services. Each apiserver picks from
 * what its own cache shows as free, which two of them can do at the same moment; the claim
 * decides: it is a create-if-absent of the address's key in a bucket of its own (not the
 * objects' bucket, so no watch ever sees it), which the store makes atomic. Kubernetes keeps the
 * same facts in its allocator bitmaps and, since 1.27, in IPAddress objects.
 *
 * A claim names the Service's uid. It is live while a Service with that uid exists, and for a
 * grace period after it was made (the Service of an apiserver's in-flight create is not in
 * anyone's cache yet). A claim that is neither (its create failed, or its Service was deleted
 * while the release was lost) is taken over by the next Service that wants the address.
 */
import { isReason } from '@kubesim/api';
import type { KvStore } from '../store/kv-store.js';

/** How long a claim counts as live without its Service in the cache. */
export const CLAIM_GRACE_MS = 30_000;

/** The Service an address is claimed for. */
export interface ClaimOwner {
  uid: string;
  namespace: string;
  name: string;
}

interface ClaimRecord extends ClaimOwner {
  /** When the claim was made (ms since the epoch). */
  at: number;
}

/** The ledger key of a ClusterIP. */
export const clusterIpClaim = (ip: string): string => `clusterip.${ip}`;
/** The ledger key of a NodePort. */
export const nodePortClaim = (port: number): string => `nodeport.${port}`;

export class AllocationLedger {
  /**
   * @param store a KvStore on the ledger's own bucket
   * @param serviceExists whether a Service with this uid exists now (from the cache)
   */
  constructor(
    private readonly store: KvStore,
    private readonly serviceExists: (uid: string) => boolean,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Claims `item` for `owner`. Resolves null when the claim is the owner's (new, already its
   * own, or taken over from a dead claim), else the live Service that holds it.
   */
  async claim(item: string, owner: ClaimOwner): Promise<ClaimOwner | null> {
    const record = encode({ ...owner, at: this.now() });
    try {
      await this.store.create(item, record, () => item);
      return null;
    } catch (err) {
      if (!isReason(err, 'AlreadyExists')) throw err;
    }
    const held = await this.store.get(item);
    if (!held) return this.claim(item, owner);
    const holder = decode(held.value);
    if (holder?.uid === owner.uid) return null;
    if (holder && (this.serviceExists(holder.uid) || this.now() - holder.at < CLAIM_GRACE_MS)) return holder;
    try {
      await this.store.update(item, record, held.revision, () => `${item} was claimed concurrently`);
      return null;
    } catch (err) {
      if (!isReason(err, 'Conflict')) throw err;
      const winner = await this.store.get(item);
      return (winner && decode(winner.value)) ?? { uid: '', namespace: '', name: '' };
    }
  }

  /** Gives `item` back if `uid` holds it; a lost release only leaves a claim to be taken over. */
  async release(item: string, uid: string): Promise<void> {
    try {
      const held = await this.store.get(item);
      if (!held || decode(held.value)?.uid !== uid) return;
      await this.store.delete(item, held.revision, () => `${item} changed while being released`);
    } catch {
      // Best effort by design (see the file comment).
    }
  }
}

function encode(record: ClaimRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(record));
}

function decode(bytes: Uint8Array): ClaimRecord | undefined {
  try {
    const r = JSON.parse(new TextDecoder().decode(bytes));
    return typeof r?.uid === 'string' && typeof r?.at === 'number' ? r : undefined;
  } catch {
    return undefined;
  }
}
