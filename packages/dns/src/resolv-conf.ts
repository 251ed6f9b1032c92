/**
 * The /etc/resolv.conf of a pod with dnsPolicy ClusterFirst, as the kubelet writes it: the
 * search list is where short names like `web` or `web.other` get completed, on the client side.
 */

/**
 * The file content for a pod in `namespace` whose resolver is `nameserver` (an IP; the file has
 * no place for a port): search `<ns>.svc.<domain> svc.<domain> <domain>`, `options ndots:5`, so
 * any name with fewer than five dots tries the search list first, as in Kubernetes.
 */
export function resolvConf(namespace: string, nameserver: string, domain = 'cluster.local'): string {
  const zone = domain.replace(/\.$/, '');
  return [`search ${namespace}.svc.${zone} svc.${zone} ${zone}`, `nameserver ${nameserver}`, 'options ndots:5', ''].join('\n');
}
