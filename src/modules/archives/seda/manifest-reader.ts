// From a validated SEDA 2.3 document to the neutral structure (types.ts). The XSDs have already
// checked the shape, so this walks known elements in order and keeps the subset Bastide stores;
// it still checks what XSDs cannot: references that resolve, titles, the size of the tree.
import { XmlElement, type XmlDocument } from 'libxml2-wasm';
import { issue, type SedaIssue } from './messages.ts';
import type {
  SedaArchiveTransfer,
  SedaBinaryObject,
  SedaDigestAlgorithm,
  SedaHoldRuleLine,
  SedaKeyword,
  SedaManagement,
  SedaPhysicalObject,
  SedaRuleBlock,
  SedaRuleLine,
  SedaTransferReply,
  SedaUnit,
  SedaUnitContent,
} from './types.ts';

export const DIGEST_ALGORITHMS: Record<string, { node: string; name: SedaDigestAlgorithm }> = {
  'SHA-512': { node: 'sha512', name: 'SHA-512' },
  'SHA-384': { node: 'sha384', name: 'SHA-384' },
  'SHA-256': { node: 'sha256', name: 'SHA-256' },
  'SHA-1': { node: 'sha1', name: 'SHA-1' },
  MD5: { node: 'md5', name: 'MD5' },
};

export interface ManifestLimits {
  maxUnits: number;
  maxDepth: number;
}

export interface ParsedManifest {
  transfer: SedaArchiveTransfer;
  /** Inline contents (Attachment), by object id. */
  attachments: Map<string, Buffer>;
}

function* elements(parent: XmlElement): Generator<XmlElement> {
  for (let node = parent.firstChild; node; node = node.next) if (node instanceof XmlElement) yield node;
}

function child(parent: XmlElement, name: string): XmlElement | undefined {
  for (const el of elements(parent)) if (el.name === name) return el;
  return undefined;
}

function all(parent: XmlElement, name: string): XmlElement[] {
  return [...elements(parent)].filter((el) => el.name === name);
}

function text(el: XmlElement | undefined): string | undefined {
  if (!el) return undefined;
  return el.content.trim();
}

function childText(parent: XmlElement, name: string): string | undefined {
  return text(child(parent, name));
}

function agencyIdentifier(parent: XmlElement, name: string): string | undefined {
  const agency = child(parent, name);
  return agency ? childText(agency, 'Identifier') : undefined;
}

function ruleBlock(el: XmlElement): SedaRuleBlock {
  const rules: SedaRuleLine[] = [];
  for (const c of elements(el)) {
    if (c.name === 'Rule') rules.push({ rule: text(c)! });
    else if (c.name === 'StartDate' && rules.length && text(c)) rules[rules.length - 1]!.startDate = text(c);
  }
  const block: SedaRuleBlock = { rules };
  const prevent = childText(el, 'PreventInheritance');
  if (prevent !== undefined) block.preventInheritance = prevent === 'true' || prevent === '1';
  const refNon = all(el, 'RefNonRuleId').map((r) => text(r)!);
  if (refNon.length) block.refNonRuleIds = refNon;
  return block;
}

function holdBlock(el: XmlElement): NonNullable<SedaManagement['hold']> {
  const base = ruleBlock(el);
  const rules: SedaHoldRuleLine[] = [];
  const fields: Record<string, keyof SedaHoldRuleLine> = {
    HoldEndDate: 'holdEndDate',
    HoldOwner: 'holdOwner',
    HoldReason: 'holdReason',
    StartDate: 'startDate',
  };
  for (const c of elements(el)) {
    if (c.name === 'Rule') rules.push({ rule: text(c)! });
    else if (fields[c.name] && rules.length && text(c)) rules[rules.length - 1]![fields[c.name]!] = text(c)!;
  }
  return { ...base, rules };
}

function management(el: XmlElement): SedaManagement {
  const m: SedaManagement = {};
  for (const c of elements(el)) {
    switch (c.name) {
      case 'StorageRule':
        m.storage = { ...ruleBlock(c), finalAction: childText(c, 'FinalAction') as 'RestrictAccess' | 'Transfer' | 'Copy' };
        break;
      case 'AppraisalRule':
        m.appraisal = { ...ruleBlock(c), finalAction: childText(c, 'FinalAction') as 'Keep' | 'Destroy' };
        break;
      case 'AccessRule':
        m.access = ruleBlock(c);
        break;
      case 'DisseminationRule':
        m.dissemination = ruleBlock(c);
        break;
      case 'ReuseRule':
        m.reuse = ruleBlock(c);
        break;
      case 'ClassificationRule':
        m.classification = {
          ...ruleBlock(c),
          classificationLevel: childText(c, 'ClassificationLevel')!,
          classificationOwner: childText(c, 'ClassificationOwner')!,
        };
        break;
      case 'HoldRule':
        m.hold = holdBlock(c);
        break;
      case 'NeedAuthorization':
        m.needAuthorization = text(c) === 'true' || text(c) === '1';
        break;
    }
  }
  return m;
}

function content(el: XmlElement): SedaUnitContent {
  const c: SedaUnitContent = { title: childText(el, 'Title') ?? '' };
  const level = childText(el, 'DescriptionLevel');
  if (level) c.descriptionLevel = level;
  const description = childText(el, 'Description');
  if (description) c.description = description;
  const archival = all(el, 'ArchivalAgencyArchiveUnitIdentifier').map((e) => text(e)!);
  if (archival.length) c.archivalAgencyIdentifiers = archival;
  const originating = all(el, 'OriginatingAgencyArchiveUnitIdentifier').map((e) => text(e)!);
  if (originating.length) c.originatingAgencyIdentifiers = originating;
  const keywords: SedaKeyword[] = all(el, 'Keyword').map((k) => {
    const kw: SedaKeyword = { content: childText(k, 'KeywordContent') ?? '' };
    const type = childText(k, 'KeywordType');
    if (type) kw.type = type;
    const reference = childText(k, 'KeywordReference');
    if (reference) kw.reference = reference;
    return kw;
  });
  if (keywords.length) c.keywords = keywords;
  const originatingAgency = agencyIdentifier(el, 'OriginatingAgency');
  if (originatingAgency) c.originatingAgency = originatingAgency;
  const submissionAgency = agencyIdentifier(el, 'SubmissionAgency');
  if (submissionAgency) c.submissionAgency = submissionAgency;
  const start = childText(el, 'StartDate');
  if (start) c.startDate = start;
  const end = childText(el, 'EndDate');
  if (end) c.endDate = end;
  return c;
}

function binaryObject(el: XmlElement, groupId: string | undefined, attachments: Map<string, Buffer>, issues: SedaIssue[]): SedaBinaryObject {
  const id = el.attr('id')!.value;
  const digestEl = child(el, 'MessageDigest')!;
  const declared = digestEl.attr('algorithm')!.value;
  const algorithm = DIGEST_ALGORITHMS[declared.toUpperCase()]?.name;
  if (!algorithm) issues.push(issue('archives.seda.object.algorithm', { id, algorithm: declared }));
  const object: SedaBinaryObject = { id, digest: { algorithm: algorithm ?? 'SHA-512', value: text(digestEl)!.toLowerCase() } };
  const group = groupId ?? childText(el, 'DataObjectGroupId') ?? childText(el, 'DataObjectGroupReferenceId');
  if (group) object.groupId = group;
  const version = childText(el, 'DataObjectVersion');
  if (version) object.version = version;
  const uri = childText(el, 'Uri');
  const attachment = child(el, 'Attachment');
  if (uri !== undefined) object.uri = uri;
  else if (attachment) attachments.set(id, Buffer.from(text(attachment)!, 'base64'));
  else issues.push(issue('archives.seda.object.no_content', { id }));
  const size = childText(el, 'Size');
  if (size !== undefined) object.size = Number(size);
  const format = child(el, 'FormatIdentification');
  if (format) {
    object.format = {};
    const names = { FormatLitteral: 'formatLitteral', MimeType: 'mimeType', FormatId: 'formatId', Encoding: 'encoding' } as const;
    for (const [xml, key] of Object.entries(names)) {
      const value = childText(format, xml);
      if (value) object.format[key] = value;
    }
  }
  const info = child(el, 'FileInfo');
  if (info) {
    object.fileInfo = { filename: childText(info, 'Filename') ?? '' };
    const names = {
      CreatingApplicationName: 'creatingApplicationName',
      CreatingApplicationVersion: 'creatingApplicationVersion',
      CreatingOs: 'creatingOs',
      CreatingOsVersion: 'creatingOsVersion',
      LastModified: 'lastModified',
    } as const;
    for (const [xml, key] of Object.entries(names)) {
      const value = childText(info, xml);
      if (value) object.fileInfo[key] = value;
    }
  }
  return object;
}

function physicalObject(el: XmlElement, groupId: string | undefined): SedaPhysicalObject {
  const object: SedaPhysicalObject = { id: el.attr('id')!.value };
  const group = groupId ?? childText(el, 'DataObjectGroupId') ?? childText(el, 'DataObjectGroupReferenceId');
  if (group) object.groupId = group;
  const version = childText(el, 'DataObjectVersion');
  if (version) object.version = version;
  const physicalId = childText(el, 'PhysicalId');
  if (physicalId) object.physicalId = physicalId;
  return object;
}

/** Reads a validated ArchiveTransfer. Issues are pushed, not thrown, so a caller reports them all. */
export function readArchiveTransfer(doc: XmlDocument, limits: ManifestLimits, issues: SedaIssue[]): ParsedManifest {
  const root = doc.root;
  const attachments = new Map<string, Buffer>();
  const transfer: SedaArchiveTransfer = {
    messageIdentifier: childText(root, 'MessageIdentifier')!,
    date: childText(root, 'Date')!,
    comments: all(root, 'Comment').map((c) => text(c)!),
    archivalAgency: agencyIdentifier(root, 'ArchivalAgency')!,
    transferringAgency: agencyIdentifier(root, 'TransferringAgency')!,
    objects: [],
    physicalObjects: [],
    units: [],
  };
  const agreement = childText(root, 'ArchivalAgreement');
  if (agreement) transfer.archivalAgreement = agreement;
  const pkg = child(root, 'DataObjectPackage');
  if (!pkg) return { transfer, attachments };

  const readObject = (el: XmlElement, groupId: string | undefined) => {
    if (el.name === 'BinaryDataObject') transfer.objects.push(binaryObject(el, groupId, attachments, issues));
    else if (el.name === 'PhysicalDataObject') transfer.physicalObjects.push(physicalObject(el, groupId));
  };
  for (const el of elements(pkg)) {
    if (el.name === 'DataObjectGroup') {
      const groupId = el.attr('id')!.value;
      for (const o of elements(el)) readObject(o, groupId);
    } else {
      readObject(el, undefined);
    }
  }
  const managementMetadata = child(pkg, 'ManagementMetadata');
  if (managementMetadata) {
    const originating = childText(managementMetadata, 'OriginatingAgencyIdentifier');
    if (originating) transfer.originatingAgencyIdentifier = originating;
    const submission = childText(managementMetadata, 'SubmissionAgencyIdentifier');
    if (submission) transfer.submissionAgencyIdentifier = submission;
  }

  const objectIds = new Set([...transfer.objects, ...transfer.physicalObjects].map((o) => o.id));
  const groupIds = new Set([...transfer.objects, ...transfer.physicalObjects].flatMap((o) => (o.groupId ? [o.groupId] : [])));
  let count = 0;
  let tooMany = false;
  let tooDeep = false;
  const unit = (el: XmlElement, depth: number): SedaUnit | undefined => {
    const id = el.attr('id')!.value;
    if (++count > limits.maxUnits) {
      if (!tooMany) issues.push(issue('archives.seda.unit.too_many', { max: limits.maxUnits }));
      tooMany = true;
      return undefined;
    }
    if (depth > limits.maxDepth) {
      if (!tooDeep) issues.push(issue('archives.seda.unit.too_deep', { max: limits.maxDepth }));
      tooDeep = true;
      return undefined;
    }
    if (child(el, 'ArchiveUnitRefId')) {
      issues.push(issue('archives.seda.unit.unsupported_ref', { unit: id }));
      return undefined;
    }
    const u: SedaUnit = { id, content: content(child(el, 'Content')!), objectRefs: [], children: [] };
    if (!u.content.title) issues.push(issue('archives.seda.unit.no_title', { unit: id }));
    const m = child(el, 'Management');
    if (m) u.management = management(m);
    for (const c of elements(el)) {
      if (c.name === 'ArchiveUnit') {
        const sub = unit(c, depth + 1);
        if (sub) u.children.push(sub);
      } else if (c.name === 'DataObjectReference') {
        const groupRef = childText(c, 'DataObjectGroupReferenceId');
        const objectRef = childText(c, 'DataObjectReferenceId');
        if (groupRef !== undefined) {
          if (!groupIds.has(groupRef)) issues.push(issue('archives.seda.ref.unknown', { unit: id, ref: groupRef }));
          u.objectRefs.push({ groupId: groupRef });
        } else if (objectRef !== undefined) {
          if (!objectIds.has(objectRef)) issues.push(issue('archives.seda.ref.unknown', { unit: id, ref: objectRef }));
          u.objectRefs.push({ objectId: objectRef });
        }
      } else if (c.name !== 'ArchiveUnitProfile' && c.name !== 'Management' && c.name !== 'Content') {
        // ArchiveUnitReferenceAbstract substitutes: references to units held elsewhere.
        issues.push(issue('archives.seda.unit.unsupported_ref', { unit: id }));
      }
    }
    return u;
  };
  const descriptive = child(pkg, 'DescriptiveMetadata')!;
  for (const el of all(descriptive, 'ArchiveUnit')) {
    const u = unit(el, 1);
    if (u) transfer.units.push(u);
  }
  return { transfer, attachments };
}

/** Reads a validated ArchiveTransferReply. */
export function readTransferReplyDocument(doc: XmlDocument): SedaTransferReply {
  const root = doc.root;
  const replyCode = childText(root, 'ReplyCode');
  const reply: SedaTransferReply = {
    messageIdentifier: childText(root, 'MessageIdentifier')!,
    messageRequestIdentifier: childText(root, 'MessageRequestIdentifier')!,
    date: childText(root, 'Date')!,
    // SEDA 2.x code lists: OK / WARNING / KO (Vitam), 000 (acceptance) in the SEDA 1.0 ReplyCode list.
    accepted: replyCode === undefined || /^(OK|WARNING|000)$/i.test(replyCode),
    archivalAgency: agencyIdentifier(root, 'ArchivalAgency')!,
    transferringAgency: agencyIdentifier(root, 'TransferringAgency')!,
    comments: all(root, 'Comment').map((c) => text(c)!),
    units: [],
  };
  if (replyCode !== undefined) reply.replyCode = replyCode;
  const grant = childText(root, 'GrantDate');
  if (grant) reply.grantDate = grant;
  const pkg = child(root, 'DataObjectPackage');
  const descriptive = pkg && child(pkg, 'DescriptiveMetadata');
  const walk = (el: XmlElement) => {
    const id = el.attr('id')!.value;
    const c = child(el, 'Content');
    if (c) {
      reply.units.push({
        id,
        archivalAgencyIdentifiers: all(c, 'ArchivalAgencyArchiveUnitIdentifier').map((e) => text(e)!),
        systemIds: all(c, 'SystemId').map((e) => text(e)!),
      });
    }
    for (const sub of all(el, 'ArchiveUnit')) walk(sub);
  };
  if (descriptive) for (const el of all(descriptive, 'ArchiveUnit')) walk(el);
  return reply;
}
