// The archival agency's answer to a transfer (ArchiveTransferReply): validated like any SEDA message,
// then read into SedaTransferReply. The caller matches `messageRequestIdentifier` with the transfer it
// sent and, when `accepted`, marks the listed units transferred (their local copies may then be
// eliminated through the usual approval, issue 13).
import { readTransferReplyDocument } from './manifest-reader.ts';
import { SedaError } from './messages.ts';
import type { SedaTransferReply } from './types.ts';
import { withValidSedaDocument } from './xml.ts';

/** Default cap on a reply's size: it lists units, never objects. */
export const MAX_REPLY_BYTES = 32 * 1024 ** 2;

export function readTransferReply(bytes: Uint8Array): SedaTransferReply {
  if (bytes.byteLength > MAX_REPLY_BYTES) throw new SedaError([{ key: 'archives.seda.manifest.too_large', params: { max: MAX_REPLY_BYTES } }]);
  const result = withValidSedaDocument(bytes, 'ArchiveTransferReply', readTransferReplyDocument);
  if (!result.ok) throw new SedaError(result.issues);
  return result.value;
}
