// The SEDA 2.3 library of the archives module: read and check an ArchiveTransfer package (SIP), write
// one (transfer to the definitive archive) or a DIP (communication), read the archival agency's reply.
// Pure functions over files and streams; no database, no journal: the archives module's actions wrap them
// (docs/archives-seda.md).
export type * from './types.ts';
export { flattenUnits } from './types.ts';
export { sedaMessages, SEDA_MESSAGE_KEYS, SedaError, sedaMessage, type SedaIssue } from './messages.ts';
export { validateSedaXml, SEDA_NS } from './xml.ts';
export { readSip, DEFAULT_SIP_LIMITS, type SipLimits, type ReadSipResult, type ExtractedObject } from './sip-reader.ts';
export { createSipStream, createDipStream, writeSip, describeObject, type OpenObject, type SipWriteOptions } from './sip-writer.ts';
export { archiveTransferChunks, deliveryReplyChunks, sedaId, type DeliveryReplyHeader } from './manifest-writer.ts';
export { readTransferReply } from './reply-reader.ts';
