/**
 * @kubesim/dns: the cluster DNS server (CoreDNS's kubernetes plugin), its wire codec and a small
 * client.
 */
export { DnsServer } from './dns-server.js';
export type { DnsServerOptions } from './dns-server.js';
export { parseConfig, profileConfig, configProblems, DEFAULTS, USAGE, CLUSTER_DNS_ADDRESS } from './config.js';
export type { DnsConfig } from './config.js';
export { encodeMessage } from './wire/encode.js';
export { decodeMessage, decodeHeader } from './wire/decode.js';
export {
  RECORD_TYPES,
  RCODES,
  CLASS_IN,
  DnsFormatError,
  typeCode,
  typeName,
  rcodeName,
  rcodeValue,
} from './wire/message.js';
export type {
  DnsMessage,
  DnsMessageInput,
  DnsHeader,
  Question,
  ResourceRecord,
  AddressRecord,
  NameRecord,
  SoaRecord,
  MxRecord,
  TxtRecord,
  SrvRecord,
  OptRecord,
  OpaqueRecord,
  EdnsOption,
  RecordTypeName,
  KnownTypeName,
  RcodeName,
} from './wire/message.js';
export { queryDns, exchangeDns } from './client.js';
export type { QueryOptions, ExchangeOptions } from './client.js';
export { resolvConf } from './resolv-conf.js';
export { KubernetesZone, SCHEMA_VERSION } from './zone/kubernetes-zone.js';
export type { ZoneConfig, ZoneAnswer, ZoneRcode } from './zone/kubernetes-zone.js';
export type { ClusterView } from './cluster-view.js';
export { InformerClusterView } from './cluster-view.js';
export type { PodMode } from './zone/lookup.js';
export { answerPacket } from './handler.js';
export type { TransportKind } from './handler.js';
export { DnsListener } from './listener.js';
export type { ListenerOptions, PacketHandler } from './listener.js';
