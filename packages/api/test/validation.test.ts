import { describe, expect, it } from 'vitest';
import {
  defaultObject,
  fieldDuplicate,
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  findResourceByKind,
  validateObject,
  type FieldError,
  type KubeObject,
} from '../src/index.js';

type Obj = Record<string, any>;

/** Defaults copies of `obj` (and `old`), as the apiserver does, then validates. */
function check(obj: Obj, old?: Obj): FieldError[] {
  const info = findResourceByKind(obj.apiVersion, obj.kind);
  if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
  const prepare = (o: Obj) => {
    const copy = structuredClone(o) as KubeObject;
    defaultObject(info, copy);
    return copy;
  };
  return validateObject(info, prepare(obj), old && prepare(old));
}

/** Validates exactly what is given, without defaulting. */
function checkRaw(obj: unknown, apiVersion: string, kind: string): FieldError[] {
  return validateObject(findResourceByKind(apiVersion, kind)!, obj as KubeObject);
}

const fields = (errs: FieldError[]) => errs.map((e) => e.field);
const one = (errs: FieldError[], field: string) => {
  const hits = errs.filter((e) => e.field === field);
  expect(hits, `errors at ${field} in ${JSON.stringify(errs, null, 1)}`).toHaveLength(1);
  return hits[0];
};

const DNS1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1123_LABEL =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_LABEL =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

const container = (extra: Obj = {}) => ({ name: 'web', image: 'nginx:1', ...extra });
const pod = (spec: Obj = {}, metadata: Obj = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', ...metadata },
  spec: { containers: [container()], ...spec },
});
const template = (spec: Obj = {}, labels: Obj = { app: 'web' }) => ({ metadata: { labels }, spec: { containers: [container()], ...spec } });
const deployment = (spec: Obj = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { selector: { matchLabels: { app: 'web' } }, template: template(), ...spec },
});
const service = (spec: Obj = {}, name = 'web') => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});

describe('field error builders', () => {
  it.each([
    [fieldRequired('spec.selector'), 'FieldValueRequired', 'Required value'],
    [fieldRequired('metadata.name', 'name or generateName is required'), 'FieldValueRequired', 'Required value: name or generateName is required'],
    [fieldInvalid('spec.replicas', -1, 'must be greater than or equal to 0'), 'FieldValueInvalid', 'Invalid value: -1: must be greater than or equal to 0'],
    [fieldInvalid('metadata.name', 'Foo', 'bad'), 'FieldValueInvalid', 'Invalid value: "Foo": bad'],
    [fieldInvalid('spec', { a: 1 }, 'bad'), 'FieldValueInvalid', 'Invalid value: {"a":1}: bad'],
    [fieldInvalid('spec.x', undefined, 'bad'), 'FieldValueInvalid', 'Invalid value: null: bad'],
    [
      fieldNotSupported('spec.restartPolicy', 'Foo', ['Always', 'OnFailure', 'Never']),
      'FieldValueNotSupported',
      'Unsupported value: "Foo": supported values: "Always", "OnFailure", "Never"',
    ],
    [fieldDuplicate('spec.containers[1].name', 'web'), 'FieldValueDuplicate', 'Duplicate value: "web"'],
    [fieldForbidden('spec', 'nope'), 'FieldValueForbidden', 'Forbidden: nope'],
    [fieldTooLong('metadata.annotations', 262144), 'FieldValueTooLong', 'Too long: may not be more than 262144 bytes'],
  ])('%j', (err, reason, message) => {
    expect(err.reason).toBe(reason);
    expect(err.message).toBe(message);
  });
});

describe('metadata', () => {
  it('requires a name unless generateName is given', () => {
    expect(one(check(pod({}, { name: undefined })), 'metadata.name')).toEqual(fieldRequired('metadata.name', 'name or generateName is required'));
    expect(check(pod({}, { name: undefined, generateName: 'web-' }))).toEqual([]);
  });

  it.each([
    ['Pod', pod({}, { name: 'Web_1' }), DNS1123_SUBDOMAIN],
    ['Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team.a' } }, DNS1123_LABEL],
    ['Service', service({}, '1web'), DNS1035_LABEL],
  ])('checks a %s name with Kubernetes words', (_kind, obj, message) => {
    const err = one(check(obj), 'metadata.name');
    expect(err.reason).toBe('FieldValueInvalid');
    expect(err.message).toBe(`Invalid value: ${JSON.stringify(obj.metadata.name)}: ${message}`);
  });

  it('accepts dotted names where subdomains are allowed', () => {
    expect(check(pod({}, { name: 'web.v1' }))).toEqual([]);
  });

  it('reports a name that is too long, and the name label that carries it', () => {
    const errs = check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a'.repeat(64) } });
    const tooLong = `Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`;
    expect(errs).toEqual([
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: tooLong },
      { field: 'metadata.labels', reason: 'FieldValueInvalid', message: tooLong },
    ]);
  });

  it('checks generateName as a prefix', () => {
    expect(check(pod({}, { name: undefined, generateName: 'Web-' }))[0].field).toBe('metadata.generateName');
  });

  it('checks label keys and values at metadata.labels', () => {
    const errs = check(pod({}, { labels: { 'bad key': 'x', good: 'bad value!' } }));
    expect(fields(errs)).toEqual(['metadata.labels', 'metadata.labels']);
    expect(errs[0].message).toContain('Invalid value: "bad key": name part must consist of alphanumeric characters');
    expect(errs[1].message).toBe(
      "Invalid value: \"bad value!\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    );
  });

  it('checks a prefixed label key', () => {
    expect(check(pod({}, { labels: { 'example.com/app': 'web', 'app.kubernetes.io/name': 'x' } }))).toEqual([]);
    expect(one(check(pod({}, { labels: { 'Example.com/app': 'web' } })), 'metadata.labels').message).toContain('prefix part a lowercase RFC 1123 subdomain');
  });

  it('limits annotations to 256 KiB in total', () => {
    expect(check(pod({}, { annotations: { a: 'x'.repeat(256 * 1024 - 1) } }))).toEqual([]);
    const errs = check(pod({}, { annotations: { a: 'x'.repeat(256 * 1024) } }));
    expect(errs).toEqual([fieldTooLong('metadata.annotations', 262144)]);
  });

  it('checks owner references and allows only one controller', () => {
    const ref = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true };
    const errs = check(pod({}, { ownerReferences: [ref, { ...ref, name: 'other' }, { apiVersion: '', kind: 'X', name: 'y', uid: '' }] }));
    expect(fields(errs)).toEqual(['metadata.ownerReferences', 'metadata.ownerReferences.apiVersion', 'metadata.ownerReferences.uid']);
    expect(errs[0].message).toContain('Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/rs and ReplicaSet/other');
  });
});

describe('pod spec', () => {
  it('accepts a minimal pod', () => {
    expect(check(pod())).toEqual([]);
  });

  it('requires containers', () => {
    expect(check(pod({ containers: [] }))).toEqual([fieldRequired('spec.containers')]);
  });

  it('requires container names, images, and unique names across init containers', () => {
    const errs = check(
      pod({
        containers: [container(), container({ image: '' }), { name: '', image: 'x' }, container({ name: 'Bad_Name' })],
        initContainers: [container({ name: 'web' })],
      }),
    );
    expect(errs).toEqual([
      fieldRequired('spec.containers[1].image'),
      fieldDuplicate('spec.containers[1].name', 'web'),
      fieldRequired('spec.containers[2].name'),
      fieldInvalid('spec.containers[3].name', 'Bad_Name', DNS1123_LABEL),
      fieldDuplicate('spec.initContainers[0].name', 'web'),
    ]);
  });

  it('checks container ports', () => {
    const errs = check(
      pod({
        containers: [
          container({
            ports: [
              { name: 'http', containerPort: 80 },
              { name: 'http', containerPort: 70000 },
              { name: 'Web_Port', containerPort: 0, protocol: 'ICMP' },
              { containerPort: 81, hostPort: 8080 },
              { containerPort: 82, hostPort: 8080 },
            ],
          }),
        ],
      }),
    );
    expect(errs).toEqual([
      fieldDuplicate('spec.containers[0].ports[1].name', 'http'),
      fieldInvalid('spec.containers[0].ports[1].containerPort', 70000, 'must be between 1 and 65535, inclusive'),
      fieldInvalid('spec.containers[0].ports[2].name', 'Web_Port', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'),
      fieldRequired('spec.containers[0].ports[2].containerPort'),
      fieldNotSupported('spec.containers[0].ports[2].protocol', 'ICMP', ['SCTP', 'TCP', 'UDP']),
      fieldDuplicate('spec.containers[0].ports[4].hostPort', 'TCP//8080'),
    ]);
  });

  it.each([
    ['restartPolicy', 'Sometimes', ['Always', 'OnFailure', 'Never']],
    ['dnsPolicy', 'Google', ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None']],
    ['preemptionPolicy', 'Maybe', ['Never', 'PreemptLowerPriority']],
  ])('rejects spec.%s %s', (field, value, supported) => {
    expect(check(pod({ [field]: value }))).toEqual([fieldNotSupported(`spec.${field}`, value, supported)]);
  });

  it.each([
    ['imagePullPolicy', 'Sometimes', ['Always', 'IfNotPresent', 'Never']],
    ['terminationMessagePolicy', 'Stdout', ['File', 'FallbackToLogsOnError']],
  ])('rejects container %s %s', (field, value, supported) => {
    expect(check(pod({ containers: [container({ [field]: value })] }))).toEqual([fieldNotSupported(`spec.containers[0].${field}`, value, supported)]);
  });

  it('checks probes', () => {
    const errs = check(
      pod({
        containers: [
          container({
            livenessProbe: { successThreshold: 2, periodSeconds: -1 },
            readinessProbe: { httpGet: { port: 0 }, exec: { command: ['true'] } },
            startupProbe: { tcpSocket: { port: 'no--way' }, failureThreshold: 3 },
          }),
        ],
      }),
    );
    expect(errs).toEqual([
      fieldRequired('spec.containers[0].livenessProbe', 'must specify a handler type'),
      fieldInvalid('spec.containers[0].livenessProbe.periodSeconds', -1, 'must be greater than or equal to 0'),
      fieldInvalid('spec.containers[0].livenessProbe.successThreshold', 2, 'must be 1'),
      fieldForbidden('spec.containers[0].readinessProbe.httpGet', 'may not specify more than 1 handler type'),
      fieldInvalid('spec.containers[0].startupProbe.tcpSocket.port', 'no--way', 'must not contain consecutive hyphens'),
    ]);
  });

  it('accepts well-formed probes of every handler type', () => {
    const probes = {
      livenessProbe: { httpGet: { path: '/healthz', port: 'http', scheme: 'HTTPS' } },
      readinessProbe: { exec: { command: ['cat', '/tmp/ready'] }, successThreshold: 3 },
      startupProbe: { grpc: { port: 9000 } },
    };
    expect(check(pod({ containers: [container({ ports: [{ name: 'http', containerPort: 80 }], ...probes })] }))).toEqual([]);
  });

  it('checks lifecycle hooks: one handler each, and a sleep within the grace period', () => {
    const lifecycle = { postStart: { sleep: { seconds: 0 } }, preStop: { sleep: { seconds: 11 }, exec: { command: ['true'] } } };
    expect(check(pod({ terminationGracePeriodSeconds: 10, containers: [container({ lifecycle })] }))).toEqual([
      fieldInvalid('spec.containers[0].lifecycle.postStart.sleep', 0, 'must be greater than 0 and less than terminationGracePeriodSeconds (10)'),
      fieldForbidden('spec.containers[0].lifecycle.preStop.sleep', 'may not specify more than 1 handler type'),
    ]);
    const tooLong = { preStop: { sleep: { seconds: 31 } } };
    expect(check(pod({ containers: [container({ lifecycle: tooLong })] }))).toEqual([
      fieldInvalid('spec.containers[0].lifecycle.preStop.sleep', 31, 'must be greater than 0 and less than terminationGracePeriodSeconds (30)'),
    ]);
    const ok = { postStart: { httpGet: { path: '/started', port: 'http' } }, preStop: { sleep: { seconds: 30 } } };
    expect(check(pod({ containers: [container({ ports: [{ name: 'http', containerPort: 80 }], lifecycle: ok })] }))).toEqual([]);
  });

  it('checks env names and sources', () => {
    const errs = check(
      pod({
        containers: [
          container({
            env: [
              { name: '' },
              { name: 'A=B', value: 'x' },
              { name: 'REF', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
              { name: 'TWO', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } },
              { name: 'BAD', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } },
              { name: 'NONE', valueFrom: {} },
              { name: 'LABEL', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
              { name: 'CPU', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
            ],
          }),
        ],
      }),
    );
    const env = 'spec.containers[0].env';
    expect(errs).toEqual([
      fieldRequired(`${env}[0].name`),
      fieldInvalid(`${env}[1].name`, 'A=B', "a valid environment variable name must consist only of printable ASCII characters other than '='"),
      fieldInvalid(`${env}[2].valueFrom`, '', 'may not be specified when `value` is not empty'),
      fieldInvalid(`${env}[3].valueFrom`, '', 'may not have more than one field specified at a time'),
      fieldNotSupported(`${env}[4].valueFrom.fieldRef.fieldPath`, 'spec.containers', [
        'metadata.name',
        'metadata.namespace',
        'metadata.uid',
        'spec.nodeName',
        'spec.serviceAccountName',
        'status.hostIP',
        'status.hostIPs',
        'status.podIP',
        'status.podIPs',
      ]),
      fieldInvalid(`${env}[5].valueFrom`, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'),
    ]);
  });

  it('checks volumes and mounts', () => {
    const errs = check(
      pod({
        volumes: [
          { name: 'data', emptyDir: {} },
          { name: 'data', emptyDir: {} },
          { name: 'two', emptyDir: {}, hostPath: { path: '/x' } },
          { name: 'cfg', configMap: { name: 'c', defaultMode: 1000 } },
          { name: 'sec', secret: {} },
          { name: 'claim', persistentVolumeClaim: { claimName: '' } },
        ],
        containers: [
          container({
            volumeMounts: [
              { name: 'data', mountPath: '/data' },
              { name: 'missing', mountPath: '/data' },
              { name: 'two', mountPath: '/two' },
            ],
          }),
        ],
      }),
    );
    expect(errs).toEqual([
      fieldDuplicate('spec.volumes[1].name', 'data'),
      fieldForbidden('spec.volumes[2].hostPath', 'may not specify more than 1 volume type'),
      fieldInvalid('spec.volumes[3].configMap.defaultMode', 1000, 'must be a number between 0 and 0777 (octal), both inclusive'),
      fieldRequired('spec.volumes[4].secret.secretName'),
      fieldRequired('spec.volumes[5].persistentVolumeClaim.claimName'),
      { field: 'spec.containers[0].volumeMounts[1].name', reason: 'FieldValueNotFound', message: 'Not found: "missing"' },
      fieldInvalid('spec.containers[0].volumeMounts[1].mountPath', '/data', 'must be unique'),
      { field: 'spec.containers[0].volumeMounts[2].name', reason: 'FieldValueNotFound', message: 'Not found: "two"' },
    ]);
  });

  it('requires a volume source when defaulting did not run', () => {
    const errs = checkRaw(pod({ volumes: [{ name: 'v' }] }), 'v1', 'Pod');
    expect(errs).toEqual([fieldRequired('spec.volumes[0]', 'must specify a volume type')]);
  });

  it('checks resources', () => {
    const errs = check(
      pod({
        containers: [
          container({
            resources: {
              limits: { cpu: '500m', memory: 'lots' },
              requests: { cpu: '1', gpu: '1', 'example.com/dongle': '1.5' },
            },
          }),
        ],
      }),
    );
    const r = 'spec.containers[0].resources';
    expect(errs).toEqual([
      fieldInvalid(`${r}.limits[memory]`, 'lots', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
      fieldInvalid(`${r}.requests`, '1', 'must be less than or equal to cpu limit of 500m'),
      fieldInvalid(`${r}.requests[gpu]`, 'gpu', 'must be a standard resource for containers'),
      fieldInvalid(`${r}.requests[example.com/dongle]`, '1.5', 'must be an integer'),
      fieldRequired(`${r}.limits`, 'Limit must be set for non overcommitable resources'),
      // requests default to limits, the bad memory quantity included
      fieldInvalid(`${r}.requests[memory]`, 'lots', "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"),
    ]);
  });

  it('checks tolerations', () => {
    const errs = check(
      pod({
        tolerations: [
          { key: 'a', operator: 'Exists', value: 'x' },
          { operator: 'Equal', value: 'x' },
          { key: 'b', operator: 'Equal', value: 'x', effect: 'NoSchedule', tolerationSeconds: 5 },
          { key: 'c', operator: 'Maybe', effect: 'Sometimes' },
        ],
      }),
    );
    const t = 'spec.tolerations';
    expect(fields(errs)).toEqual([`${t}[0].operator`, `${t}[1].operator`, `${t}[2].effect`, `${t}[3].operator`, `${t}[3].effect`]);
    expect(errs[1].message).toBe('Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"');
    expect(errs[2].message).toBe('Invalid value: "NoSchedule": effect must \'NoExecute\' when `tolerationSeconds` is set'.replace("must '", "must be '"));
    expect(errs[4].message).toBe('Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"');
  });

  it('checks names it refers to and the deadline', () => {
    const errs = check(pod({ serviceAccountName: 'Bad', nodeName: 'node_1', hostname: 'a.b', activeDeadlineSeconds: 0, nodeSelector: { 'a b': 'c' } }));
    expect(fields(errs)).toEqual(['spec.nodeSelector', 'spec.serviceAccountName', 'spec.nodeName', 'spec.hostname', 'spec.activeDeadlineSeconds']);
    expect(errs[4].message).toBe('Invalid value: 0: must be between 1 and 2147483647, inclusive');
  });
});

describe('deployments and replicasets', () => {
  it('accepts a valid deployment', () => {
    expect(check(deployment())).toEqual([]);
  });

  it('reports negative replicas as Kubernetes does', () => {
    expect(check(deployment({ replicas: -1 }))).toEqual([fieldInvalid('spec.replicas', -1, 'must be greater than or equal to 0')]);
  });

  it('requires a selector, and then the template labels cannot match', () => {
    const errs = check(deployment({ selector: undefined }));
    expect(errs).toEqual([
      fieldRequired('spec.selector'),
      fieldInvalid('spec.template.metadata.labels', { app: 'web' }, '`selector` does not match template `labels`'),
    ]);
  });

  it('requires the selector to match the template labels', () => {
    expect(check(deployment({ selector: { matchLabels: { app: 'api' } } }))).toEqual([
      fieldInvalid('spec.template.metadata.labels', { app: 'web' }, '`selector` does not match template `labels`'),
    ]);
    expect(check(deployment({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: ['web', 'api'] }] } }))).toEqual([]);
  });

  it('rejects an empty selector', () => {
    expect(check(deployment({ selector: {} }))).toEqual([fieldInvalid('spec.selector', {}, 'empty selector is invalid for deployment')]);
  });

  it('checks selector expressions', () => {
    const errs = check(deployment({ selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Near', values: [] }] } }));
    expect(errs).toEqual([
      fieldInvalid('spec.selector.matchExpressions[0].operator', 'Near', 'not a valid selector operator'),
      fieldInvalid('spec.selector', { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'Near', values: [] }] }, 'invalid label selector'),
    ]);
  });

  it('checks the strategy', () => {
    expect(check(deployment({ strategy: { type: 'Recreate', rollingUpdate: { maxSurge: 1 } } }))).toEqual([
      fieldForbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"),
    ]);
    expect(check(deployment({ strategy: { type: 'BlueGreen' } }))).toEqual([fieldNotSupported('spec.strategy', { type: 'BlueGreen' }, ['Recreate', 'RollingUpdate'])]);
    expect(check(deployment({ strategy: { rollingUpdate: { maxSurge: 0, maxUnavailable: '0%' } } }))).toEqual([
      fieldInvalid('spec.strategy.rollingUpdate.maxUnavailable', '0%', 'may not be 0 when `maxSurge` is 0'),
    ]);
  });

  it('checks int-or-percent syntax and the 100% ceiling', () => {
    const errs = check(deployment({ strategy: { rollingUpdate: { maxSurge: 'lots', maxUnavailable: '150%' } } }));
    expect(errs).toEqual([
      fieldInvalid(
        'spec.strategy.rollingUpdate.maxSurge',
        'lots',
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
      fieldInvalid('spec.strategy.rollingUpdate.maxUnavailable', '150%', 'must not be greater than 100%'),
    ]);
  });

  it('checks history, deadlines and the template restart policy', () => {
    const errs = check(
      deployment({
        revisionHistoryLimit: -1,
        minReadySeconds: 10,
        progressDeadlineSeconds: 10,
        template: template({ restartPolicy: 'Never', activeDeadlineSeconds: 5 }),
      }),
    );
    expect(errs).toEqual([
      fieldNotSupported('spec.template.spec.restartPolicy', 'Never', ['Always']),
      fieldInvalid('spec.template.spec.activeDeadlineSeconds', 5, 'activeDeadlineSeconds in ReplicaSet is not Supported'),
      fieldInvalid('spec.revisionHistoryLimit', -1, 'must be greater than or equal to 0'),
      fieldInvalid('spec.progressDeadlineSeconds', 10, 'must be greater than minReadySeconds'),
    ]);
  });

  it('reports template problems at template paths', () => {
    const errs = check(deployment({ template: template({ containers: [{ name: 'web' }] }) }));
    expect(errs).toEqual([fieldRequired('spec.template.spec.containers[0].image')]);
  });

  it('validates a replicaset the same way', () => {
    const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { replicas: -2, selector: { matchLabels: { app: 'x' } }, template: template() } };
    expect(fields(check(rs))).toEqual(['spec.replicas', 'spec.template.metadata.labels']);
  });
});

describe('jobs', () => {
  const job = (spec: Obj = {}, metadata: Obj = {}) => ({
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'uid-1', ...metadata },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [container()] } }, ...spec },
  });

  it('accepts a job with its generated selector', () => {
    expect(check(job())).toEqual([]);
  });

  it('refuses restartPolicy Always, the pod default', () => {
    expect(check(job({ template: { spec: { containers: [container()] } } }))).toEqual([
      fieldNotSupported('spec.template.spec.restartPolicy', 'Always', ['OnFailure', 'Never']),
    ]);
  });

  it('checks counts and completion mode', () => {
    const errs = check(job({ parallelism: -1, backoffLimit: -1, completionMode: 'Indexed' }));
    expect(errs).toEqual([
      fieldInvalid('spec.parallelism', -1, 'must be greater than or equal to 0'),
      fieldInvalid('spec.backoffLimit', -1, 'must be greater than or equal to 0'),
      fieldRequired('spec.completions', 'when completion mode is Indexed'),
    ]);
  });

  it('refuses a hand-written selector without manualSelector', () => {
    const errs = check(job({ selector: { matchLabels: { app: 'pi' } } }));
    expect(fields(errs)).toEqual(['spec.template.metadata.labels', 'spec.selector']);
    expect(errs[1].message).toContain('`selector` not auto-generated');
  });

  it('accepts a manual selector that matches', () => {
    const spec = { manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: { metadata: { labels: { app: 'pi' } }, spec: { restartPolicy: 'Never', containers: [container()] } } };
    expect(check(job(spec))).toEqual([]);
  });

  it('keeps the selector and template immutable', () => {
    const old = job();
    const changed = job({ template: { spec: { restartPolicy: 'Never', containers: [container({ image: 'nginx:2' })] } } });
    const errs = check(changed, old);
    expect(fields(errs)).toEqual(['spec.template']);
    expect(errs[0].message).toMatch(/^Invalid value: \{.*\}: field is immutable$/);
  });
});

describe('services', () => {
  it('accepts a valid service', () => {
    expect(check(service())).toEqual([]);
  });

  it('requires ports unless headless', () => {
    expect(check(service({ ports: [] }))).toEqual([fieldRequired('spec.ports')]);
    expect(check(service({ ports: [], clusterIP: 'None' }))).toEqual([]);
  });

  it('checks ports, names and node ports', () => {
    const errs = check(
      service({
        type: 'NodePort',
        ports: [
          { name: 'http', port: 80, nodePort: 80 },
          { port: 0, targetPort: 'Bad_Name' },
          { name: 'http', port: 443, nodePort: 30443 },
          { name: 'dup', port: 443, nodePort: 30443 },
        ],
      }),
    );
    expect(errs).toEqual([
      fieldRequired('spec.ports[1].name'),
      fieldInvalid('spec.ports[1].port', 0, 'must be between 1 and 65535, inclusive'),
      fieldInvalid('spec.ports[1].targetPort', 'Bad_Name', 'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)'),
      fieldDuplicate('spec.ports[2].name', 'http'),
      fieldInvalid('spec.ports[0].nodePort', 80, 'provided port is not in the valid range. The range of valid ports is 30000-32767'),
      fieldDuplicate('spec.ports[3].nodePort', 30443),
      fieldDuplicate('spec.ports[3]', { port: 443, protocol: 'TCP' }),
    ]);
  });

  it('forbids node ports on a ClusterIP service', () => {
    expect(check(service({ ports: [{ port: 80, nodePort: 30080 }] }))).toEqual([fieldForbidden('spec.ports[0].nodePort', "may not be used when `type` is 'ClusterIP'")]);
  });

  it('checks type, affinity and traffic policies', () => {
    const errs = check(service({ type: 'Magic', sessionAffinity: 'Sticky', internalTrafficPolicy: 'Nearest' }));
    expect(errs).toEqual([
      fieldNotSupported('spec.sessionAffinity', 'Sticky', ['ClientIP', 'None']),
      fieldNotSupported('spec.type', 'Magic', ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort']),
      fieldNotSupported('spec.internalTrafficPolicy', 'Nearest', ['Cluster', 'Local']),
    ]);
    expect(check(service({ externalTrafficPolicy: 'Local' }))).toEqual([
      fieldInvalid('spec.externalTrafficPolicy', 'Local', 'may only be set for externally-accessible services'),
    ]);
  });

  it('checks cluster IPs and external names', () => {
    expect(check(service({ clusterIP: '10.0.0.300' }))).toEqual([
      fieldInvalid('spec.clusterIPs[0]', '10.0.0.300', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'),
    ]);
    expect(check(service({ type: 'ExternalName', externalName: 'db.example.com', ports: [] }))).toEqual([]);
    expect(check(service({ type: 'ExternalName', ports: [] }))).toEqual([fieldRequired('spec.externalName')]);
    expect(check(service({ type: 'NodePort', clusterIP: 'None' }))).toEqual([fieldInvalid('spec.clusterIPs[0]', 'None', "may not be set to 'None' for NodePort services")]);
  });

  it('accepts loopback addresses, which kubesim uses everywhere', () => {
    expect(check(service({ clusterIP: '127.128.0.10', externalIPs: ['127.200.0.1'] }))).toEqual([]);
  });

  it('keeps the cluster IP once set', () => {
    const old = service({ clusterIP: '127.128.0.10', clusterIPs: ['127.128.0.10'] });
    expect(check(service({ clusterIP: '127.128.0.11', clusterIPs: ['127.128.0.11'] }), old)).toEqual([
      fieldInvalid('spec.clusterIP', '127.128.0.11', 'field is immutable'),
    ]);
    expect(check(service({ type: 'ExternalName', externalName: 'x.example.com', ports: [] }), old)).toEqual([]);
  });

  it('tolerates node ports left over from a type change', () => {
    const old = service({ type: 'NodePort', clusterIP: '127.128.0.10', ports: [{ port: 80, nodePort: 30080 }] });
    const defaultedOld = structuredClone(old);
    defaultObject(findResourceByKind('v1', 'Service')!, defaultedOld as KubeObject);
    const next = { ...structuredClone(defaultedOld), spec: { ...defaultedOld.spec, type: 'ClusterIP' } };
    expect(check(next, old)).toEqual([]);
  });
});

describe('endpoints', () => {
  it('checks addresses and ports', () => {
    const ep = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: '127.64.0.2' }, { ip: 'pod-a' }], ports: [{ name: 'http', port: 80 }, { port: 70000 }] }, { ports: [{ port: 80 }] }],
    };
    expect(fields(check(ep))).toEqual(['subsets[0].addresses[1].ip', 'subsets[0].ports[1].name', 'subsets[0].ports[1].port', 'subsets[1]']);
  });
});

describe('cluster objects', () => {
  it('checks node taints and keeps the pod CIDR once set', () => {
    const node = (spec: Obj) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, spec });
    const errs = check(node({ podCIDR: '10.0.0.0/33', taints: [{ key: 'a', effect: 'NoSchedule' }, { key: 'a', effect: 'NoSchedule' }, { key: 'b', effect: 'Never' }, { key: 'c' }] }));
    expect(fields(errs)).toEqual(['spec.podCIDR', 'spec.taints[1]', 'spec.taints[2].effect', 'spec.taints[3].effect']);
    expect(errs[1].message).toBe('Duplicate value: {"key":"a","effect":"NoSchedule"}: taints must be unique by key and effect pair');
    expect(check(node({ podCIDR: '127.64.1.0/24' }), node({ podCIDR: '127.64.0.0/24' }))).toEqual([
      fieldForbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'),
    ]);
    expect(check(node({ podCIDR: '127.64.1.0/24' }), node({}))).toEqual([]);
  });

  it('checks namespace finalizers', () => {
    const errs = check({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' }, spec: { finalizers: ['kubernetes', 'custom'] } });
    expect(errs).toEqual([fieldInvalid('spec.finalizers', 'custom', 'name is neither a standard finalizer name nor is it fully qualified')]);
  });

  it('checks config map keys, size and immutability', () => {
    const cm = (extra: Obj) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'default' }, ...extra });
    const errs = check(cm({ data: { 'bad key': 'x', '..hidden': 'y', ok: 'z' }, binaryData: { ok: 'eg==' } }));
    expect(fields(errs)).toEqual(['data[bad key]', 'data[..hidden]', 'data[ok]']);
    expect(errs[1].message).toBe('Invalid value: "..hidden": must not start with \'..\'');
    expect(errs[2].message).toBe('Invalid value: "ok": duplicate of key present in binaryData');
    expect(check(cm({ data: { big: 'x'.repeat(1024 * 1024 + 1) } }))).toEqual([fieldTooLong('data', 1048576)]);
    const locked = cm({ immutable: true, data: { a: '1' } });
    expect(check(cm({ immutable: true, data: { a: '2' } }), locked)).toEqual([fieldForbidden('data', 'field is immutable when `immutable` is set')]);
    expect(check(cm({ data: { a: '1' } }), locked)).toEqual([fieldForbidden('immutable', 'field is immutable when `immutable` is set')]);
    expect(check(cm({ data: { a: '2' } }), cm({ data: { a: '1' } }))).toEqual([]);
  });

  it('checks secrets: keys, base64, type rules and immutability', () => {
    const secret = (extra: Obj) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, ...extra });
    expect(fields(check(secret({ data: { 'a/b': 'eA==', c: 'not base64!' } })))).toEqual(['data[a/b]', 'data[c]']);
    expect(check(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } }))).toEqual([fieldRequired('data[tls.key]')]);
    expect(check(secret({ type: 'kubernetes.io/tls', stringData: { 'tls.crt': 'x', 'tls.key': 'y' } }))).toEqual([]);
    expect(check(secret({ type: 'kubernetes.io/basic-auth' }), secret({}))).toEqual([
      fieldRequired('data[username]'),
      fieldRequired('data[password]'),
      fieldInvalid('type', 'kubernetes.io/basic-auth', 'field is immutable'),
    ]);
    expect(check(secret({ immutable: true, data: { a: 'eQ==' } }), secret({ immutable: true, data: { a: 'eA==' } }))).toEqual([
      fieldForbidden('data', 'field is immutable when `immutable` is set'),
    ]);
  });

  it('checks leases', () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'node-1', namespace: 'kube-node-lease' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1 } };
    expect(check(lease)).toEqual([
      fieldInvalid('spec.leaseDurationSeconds', 0, 'must be greater than 0'),
      fieldInvalid('spec.leaseTransitions', -1, 'must be greater than or equal to 0'),
    ]);
  });

  it('checks events', () => {
    const event = (extra: Obj) => ({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'web.1', namespace: 'default' }, reason: 'Started', ...extra });
    expect(check(event({ involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' } }))).toEqual([]);
    expect(check(event({}))).toEqual([fieldRequired('involvedObject')]);
    expect(check(event({ involvedObject: { kind: 'Pod', name: 'web', namespace: 'other' } }))).toEqual([
      fieldInvalid('involvedObject.namespace', 'other', 'does not match event.namespace'),
    ]);
  });
});

describe('storage', () => {
  const pv = (spec: Obj) => ({ apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1' }, spec });
  const pvc = (spec: Obj, status?: Obj) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'default' }, spec, ...(status ? { status } : {}) });
  const claim = (storage: string, extra: Obj = {}) => ({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage } }, ...extra });

  it('checks persistent volumes', () => {
    expect(check(pv({ accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' }, hostPath: { path: '/d' } }))).toEqual([]);
    const errs = check(pv({ accessModes: ['ReadSometimes'], capacity: { storage: '0' }, persistentVolumeReclaimPolicy: 'Shred' }));
    expect(errs).toEqual([
      fieldNotSupported('spec.accessModes', 'ReadSometimes', ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod']),
      fieldInvalid('spec.capacity[storage]', '0', 'must be greater than zero'),
      fieldNotSupported('spec.persistentVolumeReclaimPolicy', 'Shred', ['Delete', 'Recycle', 'Retain']),
      fieldRequired('spec', 'must specify a volume type'),
    ]);
    expect(fields(check(pv({ hostPath: { path: '/d' } })))).toEqual(['spec.accessModes', 'spec.capacity', 'spec.capacity']);
  });

  it('checks claims', () => {
    expect(check(pvc(claim('1Gi')))).toEqual([]);
    expect(check(pvc({}))).toEqual([fieldRequired('spec.accessModes', 'at least 1 access mode is required'), fieldRequired('spec.resources[storage]')]);
  });

  it('lets a bound claim grow, the binder set volumeName, and nothing else change', () => {
    const bound = pvc(claim('1Gi', { volumeName: 'pv-1' }), { phase: 'Bound', capacity: { storage: '1Gi' } });
    expect(check(pvc(claim('2Gi', { volumeName: 'pv-1' }), { phase: 'Bound' }), bound)).toEqual([]);
    expect(check(pvc(claim('1Gi', { volumeName: 'pv-1' })), pvc(claim('1Gi')))).toEqual([]);
    const errs = check(pvc(claim('1Gi', { volumeName: 'pv-1', accessModes: ['ReadWriteMany'] }), { phase: 'Bound' }), bound);
    expect(errs).toEqual([fieldForbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')]);
    expect(check(pvc(claim('512Mi', { volumeName: 'pv-1' }), { phase: 'Bound' }), bound)).toEqual([
      fieldForbidden('spec.resources.requests.storage', 'field can not be less than status.capacity'),
    ]);
  });

  it('checks storage classes and their updates', () => {
    const sc = (extra: Obj) => ({ apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, ...extra });
    expect(check(sc({}))).toEqual([fieldRequired('provisioner')]);
    expect(check(sc({ provisioner: 'kubesim.io/hostpath', volumeBindingMode: 'Later' }))).toEqual([
      fieldNotSupported('volumeBindingMode', 'Later', ['Immediate', 'WaitForFirstConsumer']),
    ]);
    expect(check(sc({ provisioner: 'b', parameters: { x: '1' } }), sc({ provisioner: 'a' }))).toEqual([
      fieldForbidden('parameters', 'updates to parameters are forbidden.'),
      fieldForbidden('provisioner', 'updates to provisioner are forbidden.'),
    ]);
  });
});

describe('autoscaling and disruption budgets', () => {
  const hpa = (spec: Obj) => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec });
  const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };

  it('accepts a valid autoscaler', () => {
    expect(check(hpa({ scaleTargetRef: ref, minReplicas: 2, maxReplicas: 5 }))).toEqual([]);
  });

  it('checks replica bounds and the target', () => {
    expect(check(hpa({ scaleTargetRef: { kind: '', name: 'a/b' }, minReplicas: 3, maxReplicas: 2 }))).toEqual([
      fieldInvalid('spec.maxReplicas', 2, 'must be greater than or equal to `minReplicas`'),
      fieldRequired('spec.scaleTargetRef.kind'),
      fieldInvalid('spec.scaleTargetRef.name', 'a/b', "may not contain '/'"),
    ]);
    expect(check(hpa({ scaleTargetRef: ref, minReplicas: 0, maxReplicas: 0 }))).toEqual([
      fieldInvalid('spec.minReplicas', 0, 'must be greater than or equal to 1'),
      fieldInvalid('spec.maxReplicas', 0, 'must be greater than 0'),
    ]);
  });

  it('checks metrics and behavior', () => {
    const errs = check(
      hpa({
        scaleTargetRef: ref,
        maxReplicas: 3,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 0 } } },
          { type: 'Pods' },
          { type: 'Magic' },
        ],
        behavior: { scaleUp: { selectPolicy: 'Random', policies: [{ type: 'Pods', value: 0, periodSeconds: 2000 }] } },
      }),
    );
    expect(errs).toEqual([
      fieldInvalid('spec.metrics[0].resource.target.averageUtilization', 0, 'must be greater than 0'),
      fieldRequired('spec.metrics[1].pods', 'must populate information for the given metric source'),
      fieldNotSupported('spec.metrics[2].type', 'Magic', ['ContainerResource', 'External', 'Object', 'Pods', 'Resource']),
      fieldNotSupported('spec.behavior.scaleUp.selectPolicy', 'Random', ['Disabled', 'Max', 'Min']),
      fieldInvalid('spec.behavior.scaleUp.policies[0].value', 0, 'must be greater than zero'),
      fieldInvalid('spec.behavior.scaleUp.policies[0].periodSeconds', 2000, 'must be less than or equal to 1800'),
    ]);
  });

  it('validates an autoscaling/v1 object in its v2 form', () => {
    const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'default' }, spec: { scaleTargetRef: ref, maxReplicas: 3, targetCPUUtilizationPercentage: 0 } };
    expect(check(v1)).toEqual([fieldInvalid('spec.metrics[0].resource.target.averageUtilization', 0, 'must be greater than 0')]);
  });

  it('refuses a budget with both minAvailable and maxUnavailable', () => {
    const pdb = { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'web', namespace: 'default' }, spec: { minAvailable: 1, maxUnavailable: '120%' } };
    expect(check(pdb)).toEqual([
      fieldInvalid('spec', { minAvailable: 1, maxUnavailable: '120%' }, 'minAvailable and maxUnavailable cannot be both set'),
      fieldInvalid('spec.maxUnavailable', '120%', 'must not be greater than 100%'),
    ]);
  });
});

describe('updates', () => {
  it('never lets metadata.name or metadata.namespace change', () => {
    const errs = check(pod({}, { name: 'other', namespace: 'kube-system' }), pod());
    expect(errs).toEqual([fieldInvalid('metadata.name', 'other', 'field is immutable'), fieldInvalid('metadata.namespace', 'kube-system', 'field is immutable')]);
  });

  it('lets a pod change its images, labels, deadline (down) and add tolerations', () => {
    const old = pod({ activeDeadlineSeconds: 100 });
    const next = pod(
      { activeDeadlineSeconds: 50, containers: [container({ image: 'nginx:2' })], tolerations: [{ key: 'x', operator: 'Exists' }] },
      { labels: { v: '2' } },
    );
    expect(check(next, old)).toEqual([]);
  });

  it('forbids any other pod spec change, with Kubernetes words', () => {
    const errs = check(pod({ containers: [container({ ports: [{ containerPort: 8080 }] })] }), pod());
    expect(fields(errs)).toEqual(['spec']);
    expect(errs[0].reason).toBe('FieldValueForbidden');
    expect(errs[0].message).toContain(
      'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    );
    expect(errs[0].message).toContain('spec.containers[0].ports');
  });

  it.each([
    ['adding a container', { containers: [container(), container({ name: 'side' })] }, fieldForbidden('spec.containers', 'pod updates may not add or remove containers')],
    ['raising the deadline', { activeDeadlineSeconds: 200 }, fieldInvalid('spec.activeDeadlineSeconds', 200, 'must be less than or equal to previous value')],
    ['removing the deadline', { activeDeadlineSeconds: undefined }, fieldInvalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value')],
    ['dropping a toleration', { tolerations: [] }, fieldForbidden('spec.tolerations', 'existing toleration can not be modified except its tolerationSeconds')],
  ])('forbids %s', (_name, change, error) => {
    const spec = { activeDeadlineSeconds: 100, tolerations: [{ key: 'x', operator: 'Exists' }] };
    expect(check(pod({ ...spec, ...change }), pod(spec))).toContainEqual(error);
  });

  it('keeps a deployment selector immutable', () => {
    const next = deployment({ selector: { matchLabels: { app: 'web', v: '2' } }, template: template({}, { app: 'web', v: '2' }) });
    expect(check(next, deployment())).toEqual([fieldInvalid('spec.selector', { matchLabels: { app: 'web', v: '2' } }, 'field is immutable')]);
    expect(check(deployment({ replicas: 5 }), deployment())).toEqual([]);
  });

  it('keeps a replicaset selector immutable', () => {
    const rs = (app: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name: 'web-1', namespace: 'default' },
      spec: { selector: { matchLabels: { app } }, template: template({}, { app }) },
    });
    expect(fields(check(rs('b'), rs('a')))).toEqual(['spec.selector']);
  });
});

describe('every problem at once', () => {
  it('returns all problems of a deployment in one list', () => {
    const errs = check({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'Bad_Name', namespace: 'default' },
      spec: {
        replicas: -1,
        selector: { matchLabels: { app: 'other' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'web' }, { name: 'web', image: 'x' }] } },
        revisionHistoryLimit: -3,
      },
    });
    expect(fields(errs)).toEqual([
      'metadata.name',
      'spec.replicas',
      'spec.template.metadata.labels',
      'spec.template.spec.containers[0].image',
      'spec.template.spec.containers[1].name',
      'spec.template.spec.restartPolicy',
      'spec.revisionHistoryLimit',
    ]);
  });
});

describe('garbage JSON', () => {
  const mustBe = (type: string) => `must be of type ${type}`;

  it('reports wrong types with their paths instead of throwing', () => {
    const errs = check({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default', labels: { version: 2 } },
      spec: { replicas: 'three', selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: { name: 'web' } } }, paused: 'yes' },
    });
    expect(errs).toEqual([
      fieldInvalid('metadata.labels[version]', 2, mustBe('string')),
      fieldInvalid('spec.replicas', 'three', mustBe('integer')),
      fieldInvalid('spec.template.spec.containers', { name: 'web' }, mustBe('array')),
      fieldInvalid('spec.paused', 'yes', mustBe('boolean')),
    ]);
  });

  it('reports a mistyped list item at its index and keeps checking the others', () => {
    const errs = check(pod({ containers: ['web', container({ ports: [{ containerPort: '80' }] }), container({ name: 'db' })] }));
    expect(errs).toEqual([
      fieldInvalid('spec.containers[0]', 'web', mustBe('object')),
      fieldInvalid('spec.containers[1].ports[0].containerPort', '80', mustBe('integer')),
    ]);
  });

  const garbage: [string, unknown][] = [
    ['a number', 42],
    ['a string', 'pod'],
    ['null', null],
    ['an array', []],
    ['metadata as a string', { metadata: 'x' }],
    ['spec as a list', { metadata: { name: 'x' }, spec: [1, 2] }],
    ['deeply wrong values', { metadata: { name: 7, labels: [], annotations: 'a', ownerReferences: {} }, spec: { containers: [{ name: [], image: {}, env: 'x', ports: [null, 'p', { containerPort: 1.5 }], resources: { limits: { cpu: {} } } }], volumes: [{ name: 'v', configMap: 'c' }], tolerations: [7] } }],
    ['nulls everywhere', { metadata: { name: null, labels: null }, spec: { containers: [{ name: null, image: null, livenessProbe: null }], restartPolicy: null } }],
  ];
  const kinds: [string, string][] = [
    ['v1', 'Pod'],
    ['v1', 'Service'],
    ['v1', 'Namespace'],
    ['v1', 'Node'],
    ['v1', 'ConfigMap'],
    ['v1', 'Secret'],
    ['v1', 'Event'],
    ['v1', 'Endpoints'],
    ['v1', 'PersistentVolume'],
    ['v1', 'PersistentVolumeClaim'],
    ['apps/v1', 'Deployment'],
    ['apps/v1', 'ReplicaSet'],
    ['batch/v1', 'Job'],
    ['coordination.k8s.io/v1', 'Lease'],
    ['storage.k8s.io/v1', 'StorageClass'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['autoscaling/v1', 'HorizontalPodAutoscaler'],
    ['policy/v1', 'PodDisruptionBudget'],
  ];

  it.each(kinds)('never throws on garbage %s %s, and says what is wrong', (apiVersion, kind) => {
    const info = findResourceByKind(apiVersion, kind)!;
    garbage.forEach(([, body], i) => {
      const obj = structuredClone(body) as KubeObject;
      expect(() => defaultObject(info, obj)).not.toThrow();
      const errs = validateObject(info, obj, structuredClone(body) as KubeObject);
      // the first five have nothing usable; later ones may only hold fields this kind ignores
      if (i < 5) expect(errs.length).toBeGreaterThan(0);
      for (const e of errs) expect(e).toEqual({ field: expect.any(String), reason: expect.stringMatching(/^FieldValue/), message: expect.any(String) });
    });
  });

  it('reports a body that is not an object', () => {
    expect(checkRaw('pod', 'v1', 'Pod')).toEqual([fieldInvalid('', 'pod', mustBe('object'))]);
  });

  it('reports every garbage field of a pod', () => {
    const errs = checkRaw(garbage[6][1], 'v1', 'Pod');
    expect(fields(errs)).toEqual([
      'metadata.name',
      'metadata.labels',
      'metadata.annotations',
      'metadata.ownerReferences',
      'spec.containers[0].name',
      'spec.containers[0].image',
      'spec.containers[0].env',
      'spec.containers[0].ports[1]',
      'spec.containers[0].ports[2].containerPort',
      'spec.containers[0].resources.limits[cpu]',
      'spec.volumes[0].configMap',
      'spec.tolerations[0]',
      // a null list item decodes to an empty item, as Go does
      'spec.containers[0].ports[0].containerPort',
    ]);
  });
});
