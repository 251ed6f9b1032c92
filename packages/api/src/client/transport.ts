/**
 * One interface over the two ways to reach the apiserver: NATS (components) and HTTP (CLIs).
 */
import type { ApiRequest, ApiResponse, WatchEvent } from '../protocol.js';

/** A running watch: iterate its events; `close()` ends it from the client side. */
export interface WatchStream<T = unknown> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}

export interface Transport {
  /** Sends a unary request. Never throws for API errors: they come back as a Status body and code. */
  request(req: ApiRequest): Promise<ApiResponse>;
  /**
   * Starts a watch. Resolves once the server accepted it; rejects with an ApiError if it refused
   * (e.g. 400 on a bad selector). A 410 for a too-old resourceVersion arrives as an ERROR event.
   */
  watch(req: ApiRequest): Promise<WatchStream>;
  /** Releases connections. */
  close(): Promise<void>;
  /**
   * When set, lists without a `limit` are fetched in pages of this size and joined, because the
   * transport caps message sizes (NATS max_payload).
   */
  readonly listPageSize?: number;
}
