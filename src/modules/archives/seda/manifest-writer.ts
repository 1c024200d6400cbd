// Writing SEDA 2.3 manifests a piece at a time (a generator of strings), so a transfer of thousands of
// units never sits in memory as one document. Elements follow the XSDs' sequences exactly: the order
// below is the schema's order, which is why it reads as a list of ifs.
import { issue, SedaError, type SedaIssue } from './messages.ts';
import { unsafePath } from './paths.ts';
import { SEDA_NS } from './xml.ts';
import type { SedaArchiveTransfer, SedaBinaryObject, SedaManagement, SedaPhysicalObject, SedaRuleBlock, SedaUnit } from './types.ts';

// XML 1.0 forbids these characters even escaped; a stray one in a title must not make the package invalid.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export function escapeXml(value: string): string {
  return value.replace(FORBIDDEN, '\ufffd').replace(/[&<>"]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;'));
}

/** An XML NCName (what xsd:ID requires of every id attribute). */
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

/**
 * A SEDA id from any identifier of ours: kept when it is already an XML name, else prefixed and with
 * characters outside [A-Za-z0-9._-] encoded, so that two different ids never give the same SEDA id.
 */
export function sedaId(raw: string): string {
  if (NCNAME.test(raw) && !raw.startsWith('id-')) return raw;
  return 'id-' + raw.replace(/[^A-Za-z0-9.-]/g, (c) => '_' + c.codePointAt(0)!.toString(16) + '_');
}

function el(name: string, value: string | number | undefined, attrs = ''): string {
  if (value === undefined || value === '') return '';
  return `<${name}${attrs}>${escapeXml(String(value))}</${name}>`;
}

function rules(block: SedaRuleBlock): string {
  let out = '';
  for (const r of block.rules) out += el('Rule', r.rule) + el('StartDate', r.startDate);
  if (block.preventInheritance !== undefined) out += el('PreventInheritance', String(block.preventInheritance));
  else if (block.refNonRuleIds?.length) out += block.refNonRuleIds.map((id) => el('RefNonRuleId', id)).join('');
  return out;
}

function management(m: SedaManagement | undefined): string {
  if (!m) return '';
  let out = '';
  if (m.storage) out += `<StorageRule>${rules(m.storage)}${el('FinalAction', m.storage.finalAction)}</StorageRule>`;
  if (m.appraisal) out += `<AppraisalRule>${rules(m.appraisal)}${el('FinalAction', m.appraisal.finalAction)}</AppraisalRule>`;
  if (m.access) out += `<AccessRule>${rules(m.access)}</AccessRule>`;
  if (m.dissemination) out += `<DisseminationRule>${rules(m.dissemination)}</DisseminationRule>`;
  if (m.reuse) out += `<ReuseRule>${rules(m.reuse)}</ReuseRule>`;
  if (m.classification) {
    const c = m.classification;
    out += `<ClassificationRule>${rules(c)}${el('ClassificationLevel', c.classificationLevel)}${el('ClassificationOwner', c.classificationOwner)}</ClassificationRule>`;
  }
  if (m.needAuthorization !== undefined) out += el('NeedAuthorization', String(m.needAuthorization));
  if (m.hold) {
    let lines = '';
    for (const r of m.hold.rules)
      lines +=
        el('Rule', r.rule) + el('StartDate', r.startDate) + el('HoldEndDate', r.holdEndDate) + el('HoldOwner', r.holdOwner) + el('HoldReason', r.holdReason);
    out += `<HoldRule>${lines}${rules({ ...m.hold, rules: [] })}</HoldRule>`;
  }
  return out ? `<Management>${out}</Management>` : '';
}

function agency(name: string, identifier: string | undefined): string {
  return identifier ? `<${name}><Identifier>${escapeXml(identifier)}</Identifier></${name}>` : '';
}

/** The opening of a unit (management and content) and its closing (object references); children go between. */
function unitXml(u: SedaUnit): [string, string] {
  const c = u.content;
  let content = el('DescriptionLevel', c.descriptionLevel) + el('Title', c.title);
  for (const id of c.archivalAgencyIdentifiers ?? []) content += el('ArchivalAgencyArchiveUnitIdentifier', id);
  for (const id of c.originatingAgencyIdentifiers ?? []) content += el('OriginatingAgencyArchiveUnitIdentifier', id);
  content += el('Description', c.description);
  for (const k of c.keywords ?? [])
    content += `<Keyword>${el('KeywordContent', k.content)}${el('KeywordReference', k.reference)}${el('KeywordType', k.type)}</Keyword>`;
  content += agency('OriginatingAgency', c.originatingAgency) + agency('SubmissionAgency', c.submissionAgency);
  content += el('StartDate', c.startDate) + el('EndDate', c.endDate);
  const refs = u.objectRefs
    .map(
      (r) =>
        `<DataObjectReference>${'groupId' in r ? el('DataObjectGroupReferenceId', r.groupId) : el('DataObjectReferenceId', r.objectId)}</DataObjectReference>`,
    )
    .join('');
  return [`<ArchiveUnit id="${escapeXml(u.id)}">${management(u.management)}<Content>${content}</Content>\n`, `${refs}</ArchiveUnit>\n`];
}

function binaryObjectXml(o: SedaBinaryObject, inGroup: boolean): string {
  let out = `<BinaryDataObject id="${escapeXml(o.id)}">`;
  if (o.groupId && !inGroup) out += el('DataObjectGroupId', o.groupId);
  out += el('DataObjectVersion', o.version) + el('Uri', o.uri);
  out += el('MessageDigest', o.digest.value, ` algorithm="${escapeXml(o.digest.algorithm)}"`) + el('Size', o.size);
  if (o.format && Object.values(o.format).some(Boolean)) {
    const f = o.format;
    out += `<FormatIdentification>${el('FormatLitteral', f.formatLitteral)}${el('MimeType', f.mimeType)}${el('FormatId', f.formatId)}${el('Encoding', f.encoding)}</FormatIdentification>`;
  }
  if (o.fileInfo) {
    const f = o.fileInfo;
    out += `<FileInfo><Filename>${escapeXml(f.filename)}</Filename>${el('CreatingApplicationName', f.creatingApplicationName)}${el('CreatingApplicationVersion', f.creatingApplicationVersion)}${el('CreatingOs', f.creatingOs)}${el('CreatingOsVersion', f.creatingOsVersion)}${el('LastModified', f.lastModified)}</FileInfo>`;
  }
  return out + '</BinaryDataObject>\n';
}

function physicalObjectXml(o: SedaPhysicalObject, inGroup: boolean): string {
  let out = `<PhysicalDataObject id="${escapeXml(o.id)}">`;
  if (o.groupId && !inGroup) out += el('DataObjectGroupId', o.groupId);
  return out + el('DataObjectVersion', o.version) + el('PhysicalId', o.physicalId) + '</PhysicalDataObject>\n';
}

/**
 * Checks what the XSDs would refuse late, or not at all, before a byte is written: ids that are not XML
 * names or are used twice (units, objects and groups share one id space), references to unknown objects,
 * missing digests.
 */
export function checkTransferForWriting(t: SedaArchiveTransfer): SedaIssue[] {
  const issues: SedaIssue[] = [];
  const ids = new Set<string>();
  const claim = (id: string) => {
    if (!NCNAME.test(id) || ids.has(id)) issues.push(issue('archives.seda.write.id', { id }));
    ids.add(id);
  };
  const groups = new Set<string>();
  const objects = new Set<string>();
  for (const o of t.objects) {
    if (o.uri === undefined) issues.push(issue('archives.seda.object.no_content', { id: o.id }));
    else if (unsafePath(o.uri)) issues.push(issue('archives.seda.object.unsafe_uri', { id: o.id, uri: o.uri }));
  }
  for (const o of [...t.objects, ...t.physicalObjects]) {
    claim(o.id);
    objects.add(o.id);
    if (o.groupId) groups.add(o.groupId);
  }
  for (const g of groups) claim(g);
  const walk = (units: SedaUnit[]) => {
    for (const u of units) {
      claim(u.id);
      for (const r of u.objectRefs) {
        const ref = 'groupId' in r ? r.groupId : r.objectId;
        if (!('groupId' in r ? groups : objects).has(ref)) issues.push(issue('archives.seda.write.unknown_object', { unit: u.id, ref }));
      }
      walk(u.children);
    }
  };
  walk(t.units);
  return issues;
}

const CODE_LISTS =
  '<CodeListVersions><ReplyCodeListVersion>ReplyCodeListVersion0</ReplyCodeListVersion>' +
  '<MessageDigestAlgorithmCodeListVersion>MessageDigestAlgorithmCodeListVersion0</MessageDigestAlgorithmCodeListVersion>' +
  '<MimeTypeCodeListVersion>MimeTypeCodeListVersion0</MimeTypeCodeListVersion>' +
  '<EncodingCodeListVersion>EncodingCodeListVersion0</EncodingCodeListVersion>' +
  '<FileFormatCodeListVersion>FileFormatCodeListVersion0</FileFormatCodeListVersion>' +
  '<CompressionAlgorithmCodeListVersion>CompressionAlgorithmCodeListVersion0</CompressionAlgorithmCodeListVersion>' +
  '<DataObjectVersionCodeListVersion>DataObjectVersionCodeListVersion0</DataObjectVersionCodeListVersion>' +
  '</CodeListVersions>\n';

/** The DataObjectPackage: objects (grouped as their groupId says), then the unit tree, then management metadata. */
function* packageChunks(t: SedaArchiveTransfer): Generator<string> {
  yield '<DataObjectPackage>\n';
  const groups = new Map<string, (SedaBinaryObject | SedaPhysicalObject)[]>();
  const loose: (SedaBinaryObject | SedaPhysicalObject)[] = [];
  for (const o of [...t.objects, ...t.physicalObjects]) {
    if (!o.groupId) loose.push(o);
    else if (groups.has(o.groupId)) groups.get(o.groupId)!.push(o);
    else groups.set(o.groupId, [o]);
  }
  const xml = (o: SedaBinaryObject | SedaPhysicalObject, inGroup: boolean) => ('digest' in o ? binaryObjectXml(o, inGroup) : physicalObjectXml(o, inGroup));
  for (const [id, members] of groups) yield `<DataObjectGroup id="${escapeXml(id)}">\n${members.map((o) => xml(o, true)).join('')}</DataObjectGroup>\n`;
  for (const o of loose) yield xml(o, false);
  yield '<DescriptiveMetadata>\n';
  // Depth-first with an explicit stack: a deep tree cannot overflow the call stack.
  const stack: { unit: SedaUnit; open: boolean }[] = t.units.map((unit) => ({ unit, open: false })).reverse();
  while (stack.length) {
    const top = stack.pop()!;
    const [head, tail] = unitXml(top.unit);
    if (!top.open) {
      yield head;
      stack.push({ unit: top.unit, open: true });
      for (let i = top.unit.children.length - 1; i >= 0; i--) stack.push({ unit: top.unit.children[i]!, open: false });
    } else {
      yield tail;
    }
  }
  yield '</DescriptiveMetadata>\n<ManagementMetadata>';
  yield el('OriginatingAgencyIdentifier', t.originatingAgencyIdentifier) + el('SubmissionAgencyIdentifier', t.submissionAgencyIdentifier);
  yield '</ManagementMetadata>\n</DataObjectPackage>\n';
}

function* header(root: string, t: { comments: string[]; date: string; messageIdentifier: string }): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${SEDA_NS}">\n`;
  for (const c of t.comments) yield el('Comment', c);
  yield el('Date', t.date) + el('MessageIdentifier', t.messageIdentifier) + '\n';
}

/** An ArchiveTransfer manifest, in pieces. Call checkTransferForWriting first (writeSip does). */
export function* archiveTransferChunks(t: SedaArchiveTransfer): Generator<string> {
  yield* header('ArchiveTransfer', t);
  yield el('ArchivalAgreement', t.archivalAgreement) + CODE_LISTS;
  yield* packageChunks(t);
  yield agency('ArchivalAgency', t.archivalAgency) + agency('TransferringAgency', t.transferringAgency) + '\n</ArchiveTransfer>\n';
}

export interface DeliveryReplyHeader {
  /** The communication request this package answers (a request number, a dossier reference…). */
  messageRequestIdentifier: string;
  /** Who asked: an organisation identifier (a person's service, or a collectivité's SIRET). */
  requester: string;
}

/**
 * A DIP manifest: SEDA 2.3's ArchiveDeliveryRequestReply (the communication message, as Vitam's DIP export
 * writes), with the same DataObjectPackage an ArchiveTransfer has and the ids of the delivered units.
 */
export function* deliveryReplyChunks(t: SedaArchiveTransfer, reply: DeliveryReplyHeader): Generator<string> {
  yield* header('ArchiveDeliveryRequestReply', t);
  yield el('ArchivalAgreement', t.archivalAgreement) + CODE_LISTS;
  yield* packageChunks(t);
  yield el('ReplyCode', 'OK') + el('MessageRequestIdentifier', reply.messageRequestIdentifier) + '\n';
  for (const u of t.units) yield el('UnitIdentifier', u.id);
  yield agency('ArchivalAgency', t.archivalAgency) + agency('Requester', reply.requester) + '\n</ArchiveDeliveryRequestReply>\n';
}

export function checkedOrThrow(t: SedaArchiveTransfer) {
  const issues = checkTransferForWriting(t);
  if (issues.length) throw new SedaError(issues);
}
