/**
 * Printers of the storage kinds: PersistentVolume, PersistentVolumeClaim, StorageClass.
 */
import type { KubeObject } from '@kubesim/api';
import { AGE_COLUMN, NAME_COLUMN, age, column, quantityString, spec, status, top, type Printer } from './helpers.js';

const BETA_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATIONS = ['storageclass.kubernetes.io/is-default-class', 'storageclass.beta.kubernetes.io/is-default-class'];

const ACCESS_MODES: [string, string][] = [
  ['ReadWriteOnce', 'RWO'],
  ['ReadOnlyMany', 'ROX'],
  ['ReadWriteMany', 'RWX'],
  ['ReadWriteOncePod', 'RWOP'],
];

/** `helper.GetAccessModesAsString`: the short names in a fixed order, joined by commas. */
export function accessModes(modes: string[] | undefined): string {
  const present = new Set(modes ?? []);
  return ACCESS_MODES.filter(([mode]) => present.has(mode))
    .map(([, short]) => short)
    .join(',');
}

/** The class of a volume or claim: the beta annotation wins over spec.storageClassName. */
function storageClassOf(obj: KubeObject): string {
  const annotated = obj.metadata?.annotations?.[BETA_CLASS_ANNOTATION];
  if (annotated !== undefined) return annotated;
  return spec<{ storageClassName: string }>(obj).storageClassName ?? '';
}

interface VolumeSpec {
  capacity: Record<string, unknown>;
  accessModes: string[];
  persistentVolumeReclaimPolicy: string;
  claimRef: { namespace?: string; name?: string };
  volumeMode: string;
  volumeAttributesClassName: string;
}

export const persistentVolumePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    column('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    column('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    column('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    column('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    column('StorageClass', 'string', 'StorageClass of the pv'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pv'),
    column('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE_COLUMN,
    column('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', { wide: true }),
  ],
  cells(pv, now) {
    const sp = spec<VolumeSpec>(pv);
    const st = status<{ phase: string; reason: string }>(pv);
    const claim = sp.claimRef ? `${sp.claimRef.namespace ?? ''}/${sp.claimRef.name ?? ''}` : '';
    return [
      pv.metadata?.name ?? '',
      quantityString(sp.capacity?.storage),
      accessModes(sp.accessModes),
      sp.persistentVolumeReclaimPolicy ?? '',
      pv.metadata?.deletionTimestamp ? 'Terminating' : (st.phase ?? ''),
      claim,
      storageClassOf(pv),
      sp.volumeAttributesClassName ?? '<unset>',
      st.reason ?? '',
      age(pv, now),
      sp.volumeMode ?? '<unset>',
    ];
  },
};

interface ClaimSpec {
  volumeName: string;
  volumeMode: string;
  volumeAttributesClassName: string;
}

interface ClaimStatus {
  phase: string;
  accessModes: string[];
  capacity: Record<string, unknown>;
}

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    column('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    column('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    column('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    column('StorageClass', 'string', 'StorageClass of the pvc'),
    column('VolumeAttributesClass', 'string', 'VolumeAttributesClass of the pvc'),
    AGE_COLUMN,
    column('VolumeMode', 'string', 'volumeMode defines what type of volume is required by the claim.', { wide: true }),
  ],
  cells(pvc, now) {
    const sp = spec<ClaimSpec>(pvc);
    const st = status<ClaimStatus>(pvc);
    const bound = !!sp.volumeName;
    return [
      pvc.metadata?.name ?? '',
      pvc.metadata?.deletionTimestamp ? 'Terminating' : (st.phase ?? ''),
      sp.volumeName ?? '',
      bound ? quantityString(st.capacity?.storage) : '',
      bound ? accessModes(st.accessModes) : '',
      storageClassOf(pvc),
      sp.volumeAttributesClassName ?? '<unset>',
      age(pvc, now),
      sp.volumeMode ?? '<unset>',
    ];
  },
};

interface StorageClassFields {
  provisioner: string;
  reclaimPolicy: string;
  volumeBindingMode: string;
  allowVolumeExpansion: boolean;
}

export const storageClassPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    column('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    column('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    column('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE_COLUMN,
  ],
  cells(sc, now) {
    const f = top<StorageClassFields>(sc);
    const isDefault = DEFAULT_CLASS_ANNOTATIONS.some((a) => sc.metadata?.annotations?.[a] === 'true');
    return [
      `${sc.metadata?.name ?? ''}${isDefault ? ' (default)' : ''}`,
      f.provisioner ?? '',
      f.reclaimPolicy ?? 'Delete',
      f.volumeBindingMode ?? 'Immediate',
      f.allowVolumeExpansion ?? false,
      age(sc, now),
    ];
  },
};
