/**
 * A streaming GET for bodies that are not JSON documents (pods/log): chunks are handed over as
 * they arrive, so `logs -f` prints lines while the server keeps the chunked response open.
 */
import http from 'node:http';
import https from 'node:https';
import { errorFromStatus, ServiceUnavailableError, type Status } from '@kubesim/api';

export interface StreamRequest {
  url: URL;
  headers: Record<string, string>;
  onData: (chunk: Buffer) => void;
  /** Aborting ends the request quietly (the promise resolves). */
  signal?: AbortSignal;
}

/**
 * GETs `url` and feeds the body to `onData`; resolves when the server ends the response. A reply
 * of 400 or more rejects with the ApiError its Status body names; an unreachable server rejects
 * with ServiceUnavailableError (`cannot reach the apiserver at …`), as HttpTransport does.
 */
export function streamGet(req: StreamRequest): Promise<void> {
  return new Promise((resolve, reject) => {
    const mod = req.url.protocol === 'https:' ? https : http;
    const r = mod.request(req.url, { method: 'GET', headers: req.headers }, (res) => {
      const code = res.statusCode ?? 500;
      if (code >= 400) {
        collect(res).then((text) => reject(errorFromStatus(statusOf(text, code))), reject);
        return;
      }
      res.on('data', (c: Buffer) => req.onData(c));
      res.on('end', () => resolve());
      res.on('error', () => resolve());
      res.on('close', () => resolve());
    });
    const abort = () => {
      r.destroy();
      resolve();
    };
    req.signal?.addEventListener('abort', abort, { once: true });
    r.on('error', (err) => {
      if (req.signal?.aborted) return resolve();
      reject(new ServiceUnavailableError(`cannot reach the apiserver at ${req.url.origin}: ${err.message}`));
    });
    r.end();
  });
}

function collect(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

/** The Status of an error reply; a body that is not one becomes a Status with the text as message. */
function statusOf(text: string, code: number): Status {
  try {
    const body = JSON.parse(text) as Status;
    if (body && body.kind === 'Status') return body;
  } catch {
    // not JSON: fall through
  }
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: text.trim() || `the server responded with code ${code}`, code };
}
