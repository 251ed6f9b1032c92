/**
 * The EndpointSlice printer (printers.go printEndpointSlice): Name, AddressType, Ports,
 * Endpoints, Age; up to three ports and three addresses, then `+ N more...`.
 */
import { AGE_COLUMN, NAME_COLUMN, age, column, type Printer } from './helpers.js';

interface SliceView {
  addressType?: string;
  ports?: { port?: number; name?: string }[];
  endpoints?: { addresses?: string[] }[];
}

const MAX_LISTED = 3;

/** `listWithMoreString`: the first items, `+ N more...` past three, `<unset>` when empty. */
function listWithMore(items: string[]): string {
  const shown = items.slice(0, MAX_LISTED).join(',');
  if (items.length > MAX_LISTED) return `${shown} + ${items.length - MAX_LISTED} more...`;
  return shown || '<unset>';
}

/** `formatDiscoveryPorts`: each port's number, else its name, else `*` (all ports). */
export function formatDiscoveryPorts(ports: SliceView['ports']): string {
  return listWithMore((ports ?? []).map((p) => (p.port !== undefined && p.port !== null ? String(p.port) : (p.name ?? '*'))));
}

/** `formatDiscoveryEndpoints`: every address of every endpoint. */
export function formatDiscoveryEndpoints(endpoints: SliceView['endpoints']): string {
  return listWithMore((endpoints ?? []).flatMap((e) => e.addresses ?? []));
}

export const endpointSlicePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    column(
      'AddressType',
      'string',
      'addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported:\n* IPv4: Represents an IPv4 Address.\n* IPv6: Represents an IPv6 Address.\n* FQDN: Represents a Fully Qualified Domain Name.',
    ),
    column(
      'Ports',
      'string',
      'ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates "all ports". Each slice may include a maximum of 100 ports.',
    ),
    column('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.'),
    AGE_COLUMN,
  ],
  cells(obj, now) {
    const slice = obj as SliceView & typeof obj;
    return [obj.metadata?.name ?? '', slice.addressType ?? '', formatDiscoveryPorts(slice.ports), formatDiscoveryEndpoints(slice.endpoints), age(obj, now)];
  },
};
