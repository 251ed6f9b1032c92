import { humanDuration } from '@kubesim/api';

/**
 * Time formatting as kubectl shows it: apimachinery's HumanDuration ("5m3s", "2d4h") and Go's
 * RFC1123Z layout ("Mon, 02 Jan 2006 15:04:05 -0700") in the local zone.
 */

export { humanDuration };

/** Age of an RFC 3339 timestamp relative to `now`, or `<unknown>` when absent or unparsable. */
export function since(timestamp: string | null | undefined, now = Date.now()): string {
  if (!timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now - t);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Go's `time.RFC1123Z` rendering of an RFC 3339 timestamp. `offsetMinutes` is the zone's offset
 * east of UTC (defaults to the local zone); Go's zero time is printed for a missing timestamp.
 */
export function rfc1123z(timestamp: string | null | undefined, offsetMinutes?: number): string {
  if (!timestamp) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const t = Date.parse(timestamp);
  if (Number.isNaN(t)) return timestamp;
  const off = offsetMinutes ?? -new Date(t).getTimezoneOffset();
  const d = new Date(t + off * 60_000);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  const zone = `${sign}${pad(Math.trunc(abs / 60))}${pad(abs % 60)}`;
  return (
    `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${zone}`
  );
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
