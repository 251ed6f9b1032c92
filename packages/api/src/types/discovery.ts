/**
 * discovery.k8s.io/v1 kinds: EndpointSlice, the scalable successor of core/v1 Endpoints that
 * kube-proxy and `kubectl describe service` read. Names that would clash with core/v1's
 * Endpoints types carry an `EndpointSlice` prefix.
 */
import type { KubeObject, ObjectMeta } from '../meta.js';
import type { ObjectReference } from './common.js';

/** The kind of address every endpoint of one slice carries. */
export type EndpointSliceAddressType = 'IPv4' | 'IPv6' | 'FQDN';

/** What an endpoint's consumers should make of it (each unset field means "unknown"). */
export interface EndpointConditions {
  /** Serving and not terminating (or the Service publishes not-ready addresses). */
  ready?: boolean;
  /** The pod's Ready condition, whether or not it is terminating. */
  serving?: boolean;
  /** The pod is being deleted. */
  terminating?: boolean;
}

/** Topology-aware routing hints. */
export interface EndpointHints {
  forZones?: { name: string }[];
  forNodes?: { name: string }[];
}

/** One backend: a pod's addresses and conditions. */
export interface EndpointSliceEndpoint {
  /** 1 to 100 addresses of the slice's addressType; consumers use the first. */
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  targetRef?: ObjectReference;
  nodeName?: string;
  zone?: string;
  hints?: EndpointHints;
  deprecatedTopology?: Record<string, string>;
}

/** A port every endpoint of the slice serves; an unset port means "all ports". */
export interface EndpointSlicePort {
  name?: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP' | string;
  port?: number;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  apiVersion?: 'discovery.k8s.io/v1';
  kind?: 'EndpointSlice';
  metadata: ObjectMeta;
  addressType: EndpointSliceAddressType | string;
  /** At most 1000. */
  endpoints: EndpointSliceEndpoint[];
  /** At most 100, names unique. */
  ports?: EndpointSlicePort[];
}
