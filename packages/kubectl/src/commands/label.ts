/**
 * `kubectl label`: label values are validated as kubectl validates them; the outcome reads
 * `labeled`, `unlabeled` or `not labeled`.
 */
import { CommandError } from '../errors.js';
import { metadataCommand, type MetadataKind } from './metadata-update.js';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** apimachinery's IsValidLabelValue messages. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!LABEL_VALUE.test(value)) {
    errs.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  }
  return errs;
}

/** How `label` parses, validates and reports. */
export const LABEL: MetadataKind = {
  verb: 'label',
  field: 'labels',
  noun: 'label',
  parsePair(spec) {
    const parts = spec.split('=');
    if (parts.length !== 2) throw new CommandError(`invalid label spec: ${spec}`);
    const errs = labelValueErrors(parts[1]);
    if (errs.length > 0) throw new CommandError(`invalid label value: "${spec}": ${errs.join(';')}`);
    return [parts[0], parts[1]];
  },
  overwriteError(clashes) {
    const msgs = clashes.map(([k, v]) => `'${k}' already has a value (${v}), and --overwrite is false`);
    return msgs.length === 1 ? msgs[0] : `[${msgs.join(', ')}]`;
  },
  operation(changed, shrank, overwrite) {
    if (!changed) return 'not labeled';
    return !overwrite && shrank ? 'unlabeled' : 'labeled';
  },
  missingKey: (key) => `label "${key}" not found.\n`,
};

export const labelCommand = metadataCommand(LABEL, {
  short: 'Update the labels on a resource',
  long: `Update the labels on a resource.

  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.
  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.
  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.`,
  examples: `  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  kubectl label pods foo unhealthy=true

  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
  kubectl label --overwrite pods foo status=unhealthy

  # Update all pods in the namespace
  kubectl label pods --all status=unhealthy

  # Update a pod identified by the type and name in "pod.json"
  kubectl label -f pod.json status=unhealthy

  # Update pod 'foo' only if the resource is unchanged from version 1
  kubectl label pods foo status=unhealthy --resource-version=1

  # Update pod 'foo' by removing a label named 'bar' if it exists
  # Does not require the --overwrite flag
  kubectl label pods foo bar-`,
  usage: 'label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
});
