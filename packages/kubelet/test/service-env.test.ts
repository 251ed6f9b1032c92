import { describe, expect, it } from 'vitest';
import type { Service } from '@kubesim/api';
import { serviceEnv } from '../src/service-env.js';

const svc = (name: string, clusterIP: string | undefined, ports: any[]): Service => ({ metadata: { name, namespace: 'default' }, spec: { clusterIP, ports } }) as Service;

describe('serviceEnv', () => {
  it('gives the variables Kubernetes gives for a Service', () => {
    expect(serviceEnv([svc('redis-primary', '127.128.0.11', [{ name: 'redis', port: 6379, protocol: 'TCP' }])])).toEqual({
      REDIS_PRIMARY_SERVICE_HOST: '127.128.0.11',
      REDIS_PRIMARY_SERVICE_PORT: '6379',
      REDIS_PRIMARY_SERVICE_PORT_REDIS: '6379',
      REDIS_PRIMARY_PORT: 'tcp://127.128.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP: 'tcp://127.128.0.11:6379',
      REDIS_PRIMARY_PORT_6379_TCP_PROTO: 'tcp',
      REDIS_PRIMARY_PORT_6379_TCP_PORT: '6379',
      REDIS_PRIMARY_PORT_6379_TCP_ADDR: '127.128.0.11',
    });
  });

  it.each([
    ['a headless Service', svc('h', 'None', [{ port: 80 }])],
    ['an ExternalName Service', svc('x', undefined, [{ port: 80 }])],
    ['a Service without ports', svc('n', '127.128.0.12', [])],
  ])('gives nothing for %s', (_name, s) => {
    expect(serviceEnv([s])).toEqual({});
  });

  it('names the first port in <NAME>_SERVICE_PORT and <NAME>_PORT, every port in its own family', () => {
    const env = serviceEnv([svc('web', '127.128.0.13', [{ port: 80 }, { port: 443, protocol: 'TCP' }])]);
    expect(env.WEB_SERVICE_PORT).toBe('80');
    expect(env.WEB_PORT).toBe('tcp://127.128.0.13:80');
    expect(env.WEB_PORT_443_TCP_ADDR).toBe('127.128.0.13');
  });
});
