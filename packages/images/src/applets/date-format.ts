/** strftime(3) in UTC, for `date +FORMAT`. */

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const FULL_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const FULL_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

const pad = (n: number, width = 2, fill = '0') => String(n).padStart(width, fill);

/** Formats `d` (UTC) with strftime conversions: %Y %m %d %H %M %S %s %N %a %b %e %Z %z %F %T %D %j %u %p ... */
export function formatDate(format: string, d: Date): string {
  const conv: Record<string, () => string> = {
    Y: () => String(d.getUTCFullYear()),
    y: () => pad(d.getUTCFullYear() % 100),
    C: () => pad(Math.floor(d.getUTCFullYear() / 100)),
    m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()),
    e: () => pad(d.getUTCDate(), 2, ' '),
    H: () => pad(d.getUTCHours()),
    I: () => pad(((d.getUTCHours() + 11) % 12) + 1),
    k: () => pad(d.getUTCHours(), 2, ' '),
    M: () => pad(d.getUTCMinutes()),
    S: () => pad(d.getUTCSeconds()),
    N: () => pad(d.getUTCMilliseconds() * 1_000_000, 9),
    s: () => String(Math.floor(d.getTime() / 1000)),
    a: () => DAYS[d.getUTCDay()],
    A: () => FULL_DAYS[d.getUTCDay()],
    b: () => MONTHS[d.getUTCMonth()],
    h: () => MONTHS[d.getUTCMonth()],
    B: () => FULL_MONTHS[d.getUTCMonth()],
    p: () => (d.getUTCHours() < 12 ? 'AM' : 'PM'),
    Z: () => 'UTC',
    z: () => '+0000',
    j: () => pad(Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3),
    u: () => String(d.getUTCDay() === 0 ? 7 : d.getUTCDay()),
    w: () => String(d.getUTCDay()),
    F: () => `${conv.Y()}-${conv.m()}-${conv.d()}`,
    T: () => `${conv.H()}:${conv.M()}:${conv.S()}`,
    R: () => `${conv.H()}:${conv.M()}`,
    D: () => `${conv.m()}/${conv.d()}/${conv.y()}`,
    c: () => `${conv.a()} ${conv.b()} ${conv.e()} ${conv.T()} ${conv.Y()}`,
    n: () => '\n',
    t: () => '\t',
    '%': () => '%',
  };
  return format.replace(/%(:?)([a-zA-Z%])/g, (all, colon: string, c: string) => {
    if (colon && c === 'z') return '+00:00';
    return conv[c] ? conv[c]() : all;
  });
}
