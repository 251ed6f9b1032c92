/**
 * Printers of the two small cluster-bookkeeping kinds: PodDisruptionBudget (policy) and Lease
 * (coordination.k8s.io).
 */
import { AGE_COLUMN, NAME_COLUMN, age, column, spec, status, type Printer } from './helpers.js';

interface PdbSpec {
  minAvailable: number | string;
  maxUnavailable: number | string;
}

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Min Available', 'string', 'The minimum number of pods that must be available.'),
    column('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    column('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    AGE_COLUMN,
  ],
  cells(pdb, now) {
    const sp = spec<PdbSpec>(pdb);
    const show = (v: number | string | undefined) => (v === undefined || v === null ? 'N/A' : String(v));
    return [
      pdb.metadata?.name ?? '',
      show(sp.minAvailable),
      show(sp.maxUnavailable),
      status<{ disruptionsAllowed: number }>(pdb).disruptionsAllowed ?? 0,
      age(pdb, now),
    ];
  },
};

export const leasePrinter: Printer = {
  columns: [NAME_COLUMN, column('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE_COLUMN],
  cells: (lease, now) => [lease.metadata?.name ?? '', spec<{ holderIdentity: string }>(lease).holderIdentity ?? '', age(lease, now)],
};
