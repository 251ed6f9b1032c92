/**
 * The core/v1 Event printer: Last Seen, Type, Reason, Object, Message |
 * Subobject, Source, First Seen, Count, Name.
 */
import { timestampSince } from '@kubesim/api';
import { NAME_DESCRIPTION, column, top, type Printer } from './helpers.js';

interface EventFields {
  type: string;
  reason: string;
  message: string;
  count: number;
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  eventTime: string | null;
  series: { count?: number; lastObservedTime?: string };
  involvedObject: { kind?: string; name?: string; fieldPath?: string };
  source: { component?: string; host?: string };
  reportingComponent: string;
  reportingController: string;
  reportingInstance: string;
}

const columns = [
  column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
  column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
  column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
  column('Object', 'string', 'The object that this event is about.'),
  column('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', { wide: true }),
  column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', { wide: true }),
  column('Message', 'string', 'A human-readable description of the status of this operation.'),
  column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { wide: true }),
  column('Count', 'string', 'The number of times this event has occurred.', { wide: true }),
  column('Name', 'string', NAME_DESCRIPTION, { format: 'name', wide: true }),
];

/** `formatEventSource`: component (or reporting controller), then `, host` when known. */
function eventSource(e: Partial<EventFields>): string {
  const component = e.source?.component || e.reportingController || '';
  const instance = e.source?.host || e.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}

export const eventPrinter: Printer = {
  columns,
  cells(ev, now) {
    const e = top<EventFields>(ev);
    const firstSeen = e.firstTimestamp ? timestampSince(e.firstTimestamp, now) : timestampSince(e.eventTime, now);
    let lastSeen = e.lastTimestamp ? timestampSince(e.lastTimestamp, now) : firstSeen;
    let count = e.count ?? 0;
    if (e.series) {
      lastSeen = timestampSince(e.series.lastObservedTime, now);
      count = e.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events of the events.k8s.io API carry no count.
      count = 1;
    }
    const kind = (e.involvedObject?.kind ?? '').toLowerCase();
    const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
    return [
      lastSeen,
      e.type ?? '',
      e.reason ?? '',
      target,
      e.involvedObject?.fieldPath ?? '',
      eventSource(e),
      (e.message ?? '').trim(),
      firstSeen,
      count,
      ev.metadata?.name ?? '',
    ];
  },
};
