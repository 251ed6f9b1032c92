/**
 * EndpointSlice validation (pkg/apis/discovery/validation: ValidateEndpointSlice and its update
 * rule) and the kind's JSON shape. Loopback addresses are accepted: kubesim's pods live in
 * 127.0.0.0/8, which Kubernetes' non-special-IP check would refuse.
 */
import type { FieldError } from '../errors.js';
import type { EndpointSlice, EndpointSliceEndpoint, EndpointSlicePort } from '../types/discovery.js';
import { child, fieldDuplicate, fieldInvalid, fieldNotSupported, fieldRequired, index } from './errors.js';
import { validateLabels, validateObjectMeta, validateObjectMetaUpdate, validateImmutable } from './meta.js';
import { isDNS1123Label, isDNS1123Subdomain, isIPv4, isIPv6, isQualifiedName } from './names.js';
import { list, map, obj, type Shape } from './shape.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const MAX_ENDPOINTS = 1000;
const MAX_ADDRESSES = 100;
const MAX_PORTS = 100;
const MAX_TOPOLOGY_LABELS = 16;
const MAX_HINTS = 8;

const S = 'string' as const;
const I = 'int' as const;
const B = 'bool' as const;
const named = list(obj({ name: S }));

/** The fields of an EndpointSlice besides apiVersion, kind and metadata, as JSON shapes. */
export const ENDPOINT_SLICE_FIELDS: { readonly [field: string]: Shape } = {
  addressType: S,
  endpoints: list(
    obj({
      addresses: list(S),
      conditions: obj({ ready: B, serving: B, terminating: B }),
      hostname: S,
      targetRef: obj({ kind: S, namespace: S, name: S, uid: S, apiVersion: S, resourceVersion: S, fieldPath: S }),
      nodeName: S,
      zone: S,
      hints: obj({ forZones: named, forNodes: named }),
      deprecatedTopology: map(S),
    }),
  ),
  ports: list(obj({ name: S, protocol: S, port: I, appProtocol: S })),
};

/** FieldValueTooMany, worded as field.TooMany renders it. */
function fieldTooMany(field: string, actual: number, max: number): FieldError {
  return { field, reason: 'FieldValueTooMany', message: `Too many: ${actual}: must have at most ${max} items` };
}

/** ValidateEndpointSlice, and with `old` ValidateEndpointSliceUpdate (addressType is immutable). */
export function validateEndpointSlice(slice: EndpointSlice, old?: EndpointSlice): FieldError[] {
  const errs = validateObjectMeta(slice.metadata, isDNS1123Subdomain, true);
  const type = slice.addressType;
  if (!type) errs.push(fieldRequired('addressType'));
  else if (!ADDRESS_TYPES.includes(type)) errs.push(fieldNotSupported('addressType', type, ADDRESS_TYPES));
  errs.push(...validateEndpoints(slice.endpoints ?? [], type));
  errs.push(...validatePorts(slice.ports ?? []));
  if (old) {
    errs.push(...validateObjectMetaUpdate(slice.metadata, old.metadata));
    errs.push(...validateImmutable(slice.addressType, old.addressType, 'addressType'));
  }
  return errs;
}

function validateEndpoints(endpoints: readonly EndpointSliceEndpoint[], type: string | undefined): FieldError[] {
  if (endpoints.length > MAX_ENDPOINTS) return [fieldTooMany('endpoints', endpoints.length, MAX_ENDPOINTS)];
  const errs: FieldError[] = [];
  endpoints.forEach((ep, i) => {
    const path = index('endpoints', i);
    const addrPath = child(path, 'addresses');
    const addresses = ep.addresses ?? [];
    if (addresses.length === 0) errs.push(fieldRequired(addrPath, 'must contain at least 1 address'));
    else if (addresses.length > MAX_ADDRESSES) errs.push(fieldTooMany(addrPath, addresses.length, MAX_ADDRESSES));
    addresses.forEach((a, j) => errs.push(...validateAddress(a, type, index(addrPath, j))));
    if (ep.nodeName !== undefined) for (const msg of isDNS1123Subdomain(ep.nodeName)) errs.push(fieldInvalid(child(path, 'nodeName'), ep.nodeName, msg));
    const topology = ep.deprecatedTopology ?? {};
    if (Object.keys(topology).length > MAX_TOPOLOGY_LABELS) {
      errs.push(fieldTooMany(child(path, 'deprecatedTopology'), Object.keys(topology).length, MAX_TOPOLOGY_LABELS));
    }
    errs.push(...validateLabels(ep.deprecatedTopology, child(path, 'deprecatedTopology')));
    if (ep.hostname !== undefined) for (const msg of isDNS1123Label(ep.hostname)) errs.push(fieldInvalid(child(path, 'hostname'), ep.hostname, msg));
    errs.push(...validateHints(ep, child(path, 'hints')));
  });
  return errs;
}

// Addresses of an unknown type are left alone, as upstream does; the type itself is reported.
function validateAddress(address: string, type: string | undefined, path: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      return isIPv4(address) ? [] : [fieldInvalid(path, address, 'must be a valid IPv4 address')];
    case 'IPv6':
      return isIPv6(address) ? [] : [fieldInvalid(path, address, 'must be a valid IPv6 address')];
    case 'FQDN':
      return validateFQDN(address, path);
    default:
      return [];
  }
}

/** IsFullyQualifiedDomainName. */
function validateFQDN(name: string, path: string): FieldError[] {
  const trimmed = name.replace(/\.$/, '');
  if (trimmed === '') return [fieldRequired(path)];
  const errs = isDNS1123Subdomain(trimmed).map((msg) => fieldInvalid(path, name, msg));
  if (!trimmed.includes('.')) errs.push(fieldInvalid(path, name, 'should be a domain with at least two segments separated by dots'));
  return errs;
}

function validateHints(ep: EndpointSliceEndpoint, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const key of ['forZones', 'forNodes'] as const) {
    const hints = ep.hints?.[key] ?? [];
    if (hints.length > MAX_HINTS) errs.push(fieldTooMany(child(path, key), hints.length, MAX_HINTS));
    const seen = new Set<string>();
    hints.forEach((h, i) => {
      if (seen.has(h.name)) errs.push(fieldDuplicate(child(index(child(path, key), i), 'name'), h.name));
      seen.add(h.name);
    });
  }
  return errs;
}

function validatePorts(ports: readonly EndpointSlicePort[]): FieldError[] {
  if (ports.length > MAX_PORTS) return [fieldTooMany('ports', ports.length, MAX_PORTS)];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const path = index('ports', i);
    const name = p.name ?? '';
    if (name) for (const msg of isDNS1123Label(name)) errs.push(fieldInvalid(child(path, 'name'), name, msg));
    if (names.has(name)) errs.push(fieldDuplicate(child(path, 'name'), name));
    names.add(name);
    if (p.protocol === undefined) errs.push(fieldRequired(child(path, 'protocol')));
    else if (!PROTOCOLS.includes(p.protocol)) errs.push(fieldNotSupported(child(path, 'protocol'), p.protocol, PROTOCOLS));
    if (p.appProtocol !== undefined) for (const msg of isQualifiedName(p.appProtocol)) errs.push(fieldInvalid(child(path, 'appProtocol'), p.appProtocol, msg));
  });
  return errs;
}
