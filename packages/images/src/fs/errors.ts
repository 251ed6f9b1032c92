/** File errors as a container program reports them (errno names and their C library wording). */

const MESSAGES: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EEXIST: 'File exists',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ENOTEMPTY: 'Directory not empty',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EROFS: 'Read-only file system',
  ELOOP: 'Symbolic link loop',
  EINVAL: 'Invalid argument',
  EXDEV: 'Invalid cross-device link',
  EBUSY: 'Resource busy',
  ENOSPC: 'No space left on device',
};

/** An error with an errno code, as thrown by node:fs and by ContainerFs. */
export class FsError extends Error {
  constructor(
    readonly code: string,
    readonly path: string,
  ) {
    super(`${code}: ${errnoMessage(code)}, ${path}`);
    this.name = 'FsError';
  }
}

/** The C library's text for an errno code ("No such file or directory"). */
export function errnoMessage(code: string | undefined): string {
  return (code && MESSAGES[code]) ?? 'I/O error';
}

/** The C library's text for any error thrown by a file operation. */
export function fsErrorMessage(err: unknown): string {
  const code = (err as { code?: string } | null)?.code;
  return errnoMessage(code);
}

/** The errno code of an error, if it has one. */
export function errorCode(err: unknown): string | undefined {
  return (err as { code?: string } | null)?.code;
}
