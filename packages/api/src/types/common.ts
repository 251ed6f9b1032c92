/**
 * Pieces shared by several API groups: quantities, int-or-string, label selectors, conditions
 * and object references (k8s.io/apimachinery meta/v1 and core/v1 helpers).
 */

/** A resource.Quantity as JSON carries it: `"100m"`, `"1Gi"`, or a bare number. */
export type Quantity = string | number;

/** A map of resource name (`cpu`, `memory`, `storage`, ...) to quantity. */
export type ResourceList = Record<string, Quantity>;

/** intstr.IntOrString: a port number or name, or a count or percentage (`"25%"`). */
export type IntOrString = number | string;

/** An RFC 3339 timestamp as the API serializes metav1.Time. */
export type Time = string;

export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | string;
  values?: string[];
}

/** metav1.LabelSelector: all of matchLabels and matchExpressions must hold. */
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

/** metav1.Condition, the standard condition shape. */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown' | string;
  observedGeneration?: number;
  lastTransitionTime?: Time;
  reason?: string;
  message?: string;
}

/** core/v1 ObjectReference: points at any object, optionally at a field in it. */
export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** core/v1 LocalObjectReference: an object in the same namespace, by name. */
export interface LocalObjectReference {
  name?: string;
}

/** core/v1 ResourceRequirements: what a container asks for and may not exceed. */
export interface ResourceRequirements {
  limits?: ResourceList;
  requests?: ResourceList;
  claims?: { name: string; request?: string }[];
}
