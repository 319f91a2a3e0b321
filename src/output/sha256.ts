/** sha256 as lowercase hex, of bytes or of text's UTF-8. */
import { createHash } from 'node:crypto';

export function sha256(b: Uint8Array | string): string {
  return createHash('sha256').update(b).digest('hex');
}
