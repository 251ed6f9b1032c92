/**
 * `kubectl get -w` / `--watch-only`: print the current list, then one line per watch event from
 * the server's stream (Table rows for human output, whole objects otherwise). Exits 0 when the
 * server closes the stream, or when `--request-timeout` runs out.
 */
import { errorFromStatus, groupVersion, type ApiRequest, type KubeObject, type ResourceInfo, type Status, type WatchEvent, type WatchStream } from '@kubesim/api';
import { CommandError } from '../errors.js';
import { asTable, listObjects, listTable, withTypeMeta } from '../fetch.js';
import { kindGroup } from '../printers/objects.js';
import { printObjects, type OutputFormat } from '../printers/output.js';
import { tableHeader, tableRows, type Table, type TableColumn, type TablePrintOptions } from '../printers/table.js';
import { KUBECTL_MIN_WIDTH, TabWriter } from '../printers/tabwriter.js';
import type { Session } from '../session.js';
import type { GetOptions } from './get.js';
import type { TargetSet } from './targets.js';

interface WatchPlan {
  info: ResourceInfo;
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Runs a watch for exactly one resource type (or one named object). */
export async function watchGet(session: Session, set: TargetSet, opts: GetOptions, watchOnly: boolean): Promise<number> {
  const infos = new Set(set.targets.map((t) => t.info));
  if (set.targets.length !== 1 && !(infos.size === 1 && set.targets.every((t) => !t.name))) {
    throw new CommandError(`watch is only supported on individual resources and resource collections, but ${set.targets.length} resources were found`);
  }
  const t = set.targets[0];
  const byName = t.name ? `metadata.name=${t.name}` : '';
  const plan: WatchPlan = {
    info: t.info,
    namespace: t.namespace,
    labelSelector: opts.labelSelector || undefined,
    fieldSelector: [opts.fieldSelector, byName].filter(Boolean).join(',') || undefined,
  };
  return opts.format.kind === 'table' ? watchTable(session, plan, opts, watchOnly) : watchObjects(session, plan, opts, watchOnly);
}

async function watchTable(session: Session, plan: WatchPlan, opts: GetOptions, watchOnly: boolean): Promise<number> {
  const initial = await listTable(session, plan.info, plan);
  let columns: TableColumn[] = initial.columnDefinitions ?? [];
  const printOpts: TablePrintOptions = {
    wide: opts.format.kind === 'table' && opts.format.wide,
    withNamespace: opts.allNamespaces && plan.info.namespaced,
    showLabels: opts.showLabels,
    labelColumns: opts.labelColumns,
    kindPrefix: opts.showKind ? kindGroup(groupVersion(plan.info), plan.info.kind) : undefined,
  };
  const tw = new TabWriter(3, { minWidth: KUBECTL_MIN_WIDTH, rememberWidths: true });
  let headerDone = opts.noHeaders;
  const events = opts.outputWatchEvents;
  const emit = (table: Table, type: string) => {
    if (!table.rows?.length) return;
    const rowOpts = events ? { ...printOpts, eventType: type } : printOpts;
    if (!headerDone) tw.write(tableHeader(columns, rowOpts));
    headerDone = true;
    tw.write(tableRows(columns, table.rows, rowOpts));
    session.out(tw.flush());
  };
  if (!watchOnly) emit(initial, 'ADDED');
  const stream = await session.tableTransport.watch(watchRequest(plan, initial.metadata?.resourceVersion));
  return consume(session, stream, (ev) => {
    const table = asTable(ev.object, plan.info);
    if (table.columnDefinitions?.length) columns = table.columnDefinitions;
    emit(table, ev.type);
  });
}

async function watchObjects(session: Session, plan: WatchPlan, opts: GetOptions, watchOnly: boolean): Promise<number> {
  const format = opts.format as Exclude<OutputFormat, { kind: 'table' }>;
  const initial = await listObjects(session, plan.info, plan);
  let first = true;
  const print = (obj: KubeObject, type: string) => {
    // --output-watch-events prints meta/v1 WatchEvents instead of the bare objects.
    if (opts.outputWatchEvents && format.kind === 'json') {
      // One compact line per event, as kubectl's JSON watch-event printer writes them.
      const object = JSON.parse(printObjects([obj], format, { single: true, showManagedFields: opts.showManagedFields })) as unknown;
      session.out(JSON.stringify({ type, object }) + '\n');
      return;
    }
    const value = opts.outputWatchEvents ? ({ type, object: obj } as unknown as KubeObject) : obj;
    const text = printObjects([value], format, { single: true, showManagedFields: opts.showManagedFields, noHeaders: opts.noHeaders });
    session.out(format.kind === 'yaml' && !first ? `---\n${text}` : text);
    first = false;
  };
  if (!watchOnly) initial.items.forEach((o) => print(o, 'ADDED'));
  const stream = await session.transport.watch(watchRequest(plan, initial.resourceVersion));
  return consume(session, stream, (ev) => print(withTypeMeta(ev.object as KubeObject, plan.info), ev.type));
}

function watchRequest(plan: WatchPlan, resourceVersion: string | undefined): ApiRequest {
  const query: Record<string, string> = {};
  if (resourceVersion) query.resourceVersion = resourceVersion;
  if (plan.labelSelector) query.labelSelector = plan.labelSelector;
  if (plan.fieldSelector) query.fieldSelector = plan.fieldSelector;
  return { verb: 'watch', group: plan.info.group, version: plan.info.version, resource: plan.info.plural, namespace: plan.namespace, query };
}

/**
 * Feeds events to `onEvent` until the stream ends (exit 0). `--request-timeout` closes it early,
 * also with exit 0, as kubectl's client-side timeout does. An ERROR event ends with its Status.
 */
async function consume(session: Session, stream: WatchStream, onEvent: (ev: WatchEvent) => void): Promise<number> {
  const ms = session.globals.requestTimeoutMs;
  const timer = ms ? setTimeout(() => stream.close(), ms) : undefined;
  try {
    for await (const ev of stream) {
      if (ev.type === 'BOOKMARK') continue;
      if (ev.type === 'ERROR') throw errorFromStatus(ev.object as Status);
      onEvent(ev);
    }
  } finally {
    if (timer) clearTimeout(timer);
    stream.close();
  }
  return 0;
}
