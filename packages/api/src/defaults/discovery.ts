/**
 * EndpointSlice defaulting (discovery/v1 SetDefaults_EndpointPort): every port gets a name
 * (empty) and a protocol (TCP), which validation then requires.
 */
import { defaultPtr, items, type Obj } from './json.js';

/** Defaults an EndpointSlice in place. */
export function defaultEndpointSlice(obj: Obj): void {
  for (const port of items(obj, 'ports')) {
    defaultPtr(port, 'name', '');
    defaultPtr(port, 'protocol', 'TCP');
  }
}
