import { describe, expect, it } from 'vitest';
import { AlreadyExistsError, invalidError, NotFoundError } from '@kubesim/api';
import { CommandError, ConnectionError, formatApiError, formatError, UsageError } from '../src/errors.js';

describe('formatError', () => {
  const cases: { name: string; err: unknown; want: string }[] = [
    { name: 'a server error', err: new NotFoundError('pods "nope" not found'), want: 'Error from server (NotFound): pods "nope" not found' },
    {
      name: 'a 422 with one cause',
      err: invalidError('Deployment', 'invalid', [{ field: 'spec.replicas', reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0' }], 'apps'),
      want: 'The Deployment "invalid" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
    },
    {
      name: 'a 422 with several causes',
      err: invalidError('Pod', 'p', [
        { field: 'spec.containers', reason: 'FieldValueRequired', message: 'Required value' },
        { field: 'metadata.name', reason: 'FieldValueInvalid', message: 'Invalid value: "P": bad' },
      ]),
      want: 'The Pod "p" is invalid: \n* spec.containers: Required value\n* metadata.name: Invalid value: "P": bad',
    },
    { name: 'a refused connection', err: new ConnectionError('127.0.0.1:6443', true, 'ECONNREFUSED'), want: 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?' },
    { name: 'another connection failure', err: new ConnectionError('h:1', false, 'getaddrinfo ENOTFOUND h'), want: 'Unable to connect to the server: getaddrinfo ENOTFOUND h' },
    { name: 'a usage error', err: new UsageError('unknown flag: --x'), want: "error: unknown flag: --x\nSee 'kubectl get --help' for usage." },
    { name: 'a usage error pointing at examples', err: new UsageError('NAME is required', 'examples'), want: "error: NAME is required\nSee 'kubectl get -h' for help and examples" },
    { name: 'a command error', err: new CommandError('the server doesn\'t have a resource type "foos"'), want: 'error: the server doesn\'t have a resource type "foos"' },
    { name: 'a raw command error', err: new CommandError('Error in configuration: x', true), want: 'Error in configuration: x' },
  ];
  for (const c of cases) it(`prints ${c.name}`, () => expect(formatError(c.err, 'get')).toBe(c.want));

  it('names the file in per-object errors', () => {
    expect(formatApiError(new AlreadyExistsError('pods "a" already exists'), 'error when creating "x.yaml"')).toBe(
      'Error from server (AlreadyExists): error when creating "x.yaml": pods "a" already exists',
    );
  });
});
