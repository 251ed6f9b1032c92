/**
 * The Node printer: Name, Status (Ready / NotReady / Unknown, plus SchedulingDisabled), Roles,
 * Age, Version | Internal-IP, External-IP, OS-Image, Kernel-Version, Container-Runtime.
 */
import { AGE_COLUMN, NAME_COLUMN, age, column, conditionStatus, spec, status, type Printer } from './helpers.js';

interface NodeSpec {
  unschedulable: boolean;
}

interface NodeStatus {
  conditions: { type?: string; status?: string }[];
  addresses: { type?: string; address?: string }[];
  nodeInfo: { kubeletVersion?: string; osImage?: string; kernelVersion?: string; containerRuntimeVersion?: string };
}

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const ROLE_LABEL = 'kubernetes.io/role';

const columns = [
  NAME_COLUMN,
  column('Status', 'string', 'The status of the node'),
  column('Roles', 'string', 'The roles of the node'),
  AGE_COLUMN,
  column('Version', 'string', 'Kubelet Version reported by the node.'),
  column('Internal-IP', 'string', 'List of addresses reachable to the node.', { wide: true }),
  column('External-IP', 'string', 'List of addresses reachable to the node.', { wide: true }),
  column('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', { wide: true }),
  column('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", { wide: true }),
  column('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', { wide: true }),
];

/** `node-role.kubernetes.io/<role>` labels and the `kubernetes.io/role` label, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX) && key.length > ROLE_PREFIX.length) roles.add(key.slice(ROLE_PREFIX.length));
    else if (key === ROLE_LABEL && value !== '') roles.add(value);
  }
  return [...roles].sort();
}

function address(s: Partial<NodeStatus>, type: string): string {
  return s.addresses?.find((a) => a.type === type)?.address || '<none>';
}

export const nodePrinter: Printer = {
  columns,
  cells(node, now) {
    const s = status<NodeStatus>(node);
    const ready = conditionStatus(s.conditions, 'Ready');
    const states = [ready === undefined ? 'Unknown' : ready === 'True' ? 'Ready' : 'NotReady'];
    if (spec<NodeSpec>(node).unschedulable) states.push('SchedulingDisabled');
    const roles = nodeRoles(node.metadata?.labels).join(',') || '<none>';
    const info = s.nodeInfo ?? {};
    return [
      node.metadata?.name ?? '',
      states.join(','),
      roles,
      age(node, now),
      info.kubeletVersion ?? '',
      address(s, 'InternalIP'),
      address(s, 'ExternalIP'),
      info.osImage || '<unknown>',
      info.kernelVersion || '<unknown>',
      info.containerRuntimeVersion || '<unknown>',
    ];
  },
};
