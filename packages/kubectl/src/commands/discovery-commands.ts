/**
 * `kubectl api-resources` and `kubectl api-versions`, both from the server's discovery.
 */
import { CommandError } from '../errors.js';
import { discover, type DiscoveredResource } from '../discovery.js';
import type { ParsedArgs } from '../flags.js';
import { KUBECTL_MIN_WIDTH, tabwrite } from '../printers/tabwriter.js';
import type { Session } from '../session.js';
import type { Command } from './command.js';

export const apiResourcesCommand: Command = {
  name: 'api-resources',
  short: 'Print the supported API resources on the server',
  long: 'Print the supported API resources on the server.',
  examples: `  # Print the supported API resources
  kubectl api-resources

  # Print the supported API resources with more information
  kubectl api-resources -o wide

  # Print the supported namespaced resources
  kubectl api-resources --namespaced=true

  # Print the supported API resources with a specific APIGroup
  kubectl api-resources --api-group=rbac.authorization.k8s.io`,
  usage: 'api-resources [flags] [options]',
  flags: [
    { name: 'api-group', type: 'string', help: 'Limit to resources in the specified API group.' },
    { name: 'namespaced', type: 'string', default: '', noOptDefault: 'true', help: 'If false, non-namespaced resources will be returned, otherwise returning namespaced resources by default.' },
    { name: 'no-headers', type: 'bool', help: "When using the default or custom-column output format, don't print headers (default print headers)." },
    { name: 'output', short: 'o', type: 'string', help: 'Output format. One of: (wide, name).' },
    { name: 'sort-by', type: 'string', help: "If non-empty, sort list of resources using specified field. One of (name, kind)." },
    { name: 'verbs', type: 'slice', help: 'Limit to resources that support the specified verbs.' },
    { name: 'categories', type: 'slice', help: 'Limit to resources that belong to the specified categories.' },
  ],
  run: runApiResources,
};

async function runApiResources(session: Session, p: ParsedArgs): Promise<number> {
  const output = p.flags.output as string;
  if (output && output !== 'wide' && output !== 'name') throw new CommandError(`--output ${output} is not available`);
  const sortBy = p.flags['sort-by'] as string;
  if (sortBy && sortBy !== 'name' && sortBy !== 'kind') throw new CommandError(`--sort-by accepts only name or kind`);
  const { resources } = await discover(session.transport);
  const selected = filterResources(resources, p).sort((a, b) => compareResources(a, b, sortBy));
  if (output === 'name') {
    session.out(selected.map((r) => (r.group ? `${r.plural}.${r.group}` : r.plural) + '\n').join(''));
    return 0;
  }
  const wide = output === 'wide';
  let text = p.flags['no-headers'] ? '' : ['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND', ...(wide ? ['VERBS', 'CATEGORIES'] : [])].join('\t') + '\n';
  for (const r of selected) {
    const cells = [r.plural, r.shortNames.join(','), r.groupVersion, String(r.namespaced), r.kind];
    if (wide) cells.push(r.verbs.join(','), r.categories.join(','));
    text += cells.join('\t') + '\n';
  }
  session.out(tabwrite(text, 3, KUBECTL_MIN_WIDTH));
  return 0;
}

function filterResources(resources: DiscoveredResource[], p: ParsedArgs): DiscoveredResource[] {
  const group = p.flags['api-group'] as string;
  const namespaced = p.flags.namespaced as string;
  const verbs = p.flags.verbs as string[];
  const categories = p.flags.categories as string[];
  return resources.filter(
    (r) =>
      r.preferred &&
      (!p.set.has('api-group') || r.group === group) &&
      (namespaced === '' || String(r.namespaced) === namespaced) &&
      verbs.every((v) => r.verbs.includes(v)) &&
      categories.every((c) => r.categories.includes(c)),
  );
}

/** kubectl's order: by group (core first), then name; or by name/kind with `--sort-by`. */
function compareResources(a: DiscoveredResource, b: DiscoveredResource, sortBy: string): number {
  const key = (r: DiscoveredResource) => (sortBy === 'name' ? r.plural : sortBy === 'kind' ? r.kind : r.group);
  return cmp(key(a), key(b)) || cmp(a.plural, b.plural);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const apiVersionsCommand: Command = {
  name: 'api-versions',
  short: 'Print the supported API versions on the server, in the form of "group/version"',
  long: 'Print the supported API versions on the server, in the form of "group/version".',
  examples: `  # Print the supported API versions
  kubectl api-versions`,
  usage: 'api-versions [options]',
  flags: [],
  async run(session) {
    const { groupVersions } = await discover(session.transport);
    session.out([...new Set(groupVersions)].sort().map((gv) => gv + '\n').join(''));
    return 0;
  },
};
