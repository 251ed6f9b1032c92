/**
 * @kubesim/lb: how traffic reaches pods over real TCP. `kubesim-proxy` (ServiceProxy) serves
 * Services' ClusterIPs and each node's NodePorts; `kubesim-lb` (LoadBalancer) gives
 * LoadBalancer Services an external address and spreads it over the nodes.
 */
export { TcpProxy } from './tcp-proxy.js';
export type { TcpProxyOptions, TcpProxyStats, SourceAddress } from './tcp-proxy.js';
export { BackendPicker, backendKey } from './backends.js';
export type { Backend } from './backends.js';
export { endpointsFor, listenerSpecs, affinitySeconds, hasNodePorts, DEFAULT_AFFINITY_SECONDS } from './endpoints.js';
export type { ProxyScope, ListenerSpec } from './endpoints.js';
export { ListenerSet } from './listeners.js';
export type { ListenerSetOptions } from './listeners.js';
export { HealthzServer } from './healthz.js';
export type { HealthzServerOptions } from './healthz.js';
export { ServiceProxy } from './service-proxy.js';
export type { ServiceProxyOptions } from './service-proxy.js';
export { parseProxyConfig, nodeIPFromName, parseProfile, PROXY_USAGE } from './proxy-config.js';
export type { ServiceProxyConfig } from './proxy-config.js';
export { parseRange, inRange, allocateAddress, ipToNumber, numberToIp } from './ip-range.js';
export type { AddressRange } from './ip-range.js';
export { observeHealth, NodeHealthChecker } from './health.js';
export type { HealthState, Thresholds, HealthTarget, NodeHealthCheckerOptions } from './health.js';
export { wantsLoadBalancer, ingressIP, hasOurIngress, readyNodes, lbListenerSpecs } from './lb-plan.js';
export type { LbNode } from './lb-plan.js';
export { LoadBalancer } from './loadbalancer.js';
export type { LoadBalancerOptions } from './loadbalancer.js';
export { parseLbConfig, LB_USAGE, DEFAULT_ADDRESS_RANGE } from './lb-config.js';
export type { LoadBalancerConfig } from './lb-config.js';
export { settingsFor, PROXY_HEALTHZ_PORT } from './settings.js';
export type { Profile, TrafficSettings } from './settings.js';
