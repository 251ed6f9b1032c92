/**
 * Request bodies: size limit (3 MiB, Kubernetes' MaxRequestBodyBytes), content types, and
 * decoding JSON or YAML into a value. Every failure is a named ApiError.
 */
import type { IncomingMessage } from 'node:http';
import { parse as parseYaml } from 'yaml';
import {
  BadRequestError,
  RequestEntityTooLargeError,
  UnsupportedMediaTypeError,
  type PatchType,
} from '@kubesim/api';

/** Reads the whole body, refusing more than `limit` bytes with 413. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      req.resume();
      reject(tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function tooLarge(limit: number): RequestEntityTooLargeError {
  return new RequestEntityTooLargeError(`Request entity too large: limit is ${limit}`);
}

const PATCH_TYPES: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
};

/** The media type without parameters, lower-cased; a missing header counts as JSON. */
export function mediaType(header: string | undefined): string {
  return (header ?? 'application/json').split(';')[0].trim().toLowerCase() || 'application/json';
}

/** The patch type for a PATCH's Content-Type, or 415. */
export function patchTypeOf(header: string | undefined): PatchType {
  const t = PATCH_TYPES[mediaType(header)];
  if (!t) {
    throw new UnsupportedMediaTypeError(
      `the body of the request was in an unknown format - accepted media types include: ${Object.keys(PATCH_TYPES).join(', ')}`,
    );
  }
  return t;
}

/** Decodes a body as JSON or YAML according to its media type. Empty bodies decode to undefined. */
export function decodeBody(buf: Buffer, type: string): unknown {
  if (buf.length === 0) return undefined;
  const text = buf.toString('utf8');
  if (type.endsWith('yaml')) {
    try {
      // A YAML body may be JSON too (apply-patch+yaml bodies from kubectl are JSON).
      return parseYaml(text);
    } catch (err) {
      throw new BadRequestError(`error decoding YAML: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  if (type === 'application/vnd.kubernetes.protobuf') {
    throw new UnsupportedMediaTypeError('the body of the request was in an unknown format - accepted media types include: application/json, application/yaml');
  }
  if (!type.includes('json') && type !== 'text/plain' && type !== '*/*') {
    throw new UnsupportedMediaTypeError(`the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new BadRequestError(`error decoding JSON: ${(err as Error).message}`);
  }
}
