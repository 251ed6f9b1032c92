/**
 * The printer of kinds without one of their own (what the apiserver's default table convertor
 * serves for custom resources): Name and Created At.
 */
import { AGE_DESCRIPTION, NAME_COLUMN, column, type Printer } from './helpers.js';

export const defaultPrinter: Printer = {
  columns: [NAME_COLUMN, column('Created At', 'date', AGE_DESCRIPTION)],
  cells(obj) {
    const created = obj.metadata?.creationTimestamp;
    const t = created ? Date.parse(created) : NaN;
    // RFC 3339 in UTC with second precision, as Go's time.RFC3339 formats it.
    return [obj.metadata?.name ?? '', Number.isNaN(t) ? null : new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z')];
  },
};
