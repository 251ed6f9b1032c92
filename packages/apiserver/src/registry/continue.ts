/**
 * List continue tokens: the list's resourceVersion and the last key served, base64 JSON.
 * Pages after the first are read from the current cache, filtered past that key.
 */
import { BadRequestError } from '@kubesim/api';

export interface ContinueToken {
  rv: number;
  /** `namespace/name` of the last item already served. */
  after: string;
}

export function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 1, ...t })).toString('base64url');
}

/** Decodes a token; a malformed one is a 400, as Kubernetes answers. */
export function decodeContinue(s: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    if (typeof t.rv === 'number' && typeof t.after === 'string') return { rv: t.rv, after: t.after };
  } catch {
    // fall through
  }
  throw new BadRequestError('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
