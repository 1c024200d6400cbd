// The neutral structure of a SEDA 2.3 ArchiveTransfer, as the reader gives it and the writer takes it.
// It names only what Bastide keeps (issue 13): the rest of a manifest is validated against the XSDs and
// then left aside (docs/archives-seda.md lists what is kept and what is not).

/** Digest algorithms SEDA's DigestAlgorithmCodeList names and this library can compute. */
export type SedaDigestAlgorithm = 'SHA-512' | 'SHA-384' | 'SHA-256' | 'SHA-1' | 'MD5';

export interface SedaFormat {
  formatLitteral?: string;
  mimeType?: string;
  /** PRONOM identifier (fmt/18, x-fmt/111…). */
  formatId?: string;
  encoding?: string;
}

export interface SedaFileInfo {
  filename: string;
  creatingApplicationName?: string;
  creatingApplicationVersion?: string;
  creatingOs?: string;
  creatingOsVersion?: string;
  /** xsd:dateTime as written. */
  lastModified?: string;
}

export interface SedaBinaryObject {
  /** The manifest's id attribute (an XML NCName). */
  id: string;
  /** The DataObjectGroup it belongs to, when the manifest groups objects. */
  groupId?: string;
  /** DataObjectVersion: BinaryMaster_1, Dissemination_1… */
  version?: string;
  /** Path of the object inside the package (the manifest's Uri), or undefined for an inline Attachment. */
  uri?: string;
  digest: { algorithm: SedaDigestAlgorithm; value: string };
  size?: number;
  format?: SedaFormat;
  fileInfo?: SedaFileInfo;
}

export interface SedaPhysicalObject {
  id: string;
  groupId?: string;
  version?: string;
  physicalId?: string;
}

/** One rule line: the rule's identifier in the rule library and the date its duration starts from. */
export interface SedaRuleLine {
  rule: string;
  /** xsd:date (YYYY-MM-DD). */
  startDate?: string;
}

export interface SedaRuleBlock {
  rules: SedaRuleLine[];
  preventInheritance?: boolean;
  /** Inherited rules this unit stops (RefNonRuleId). */
  refNonRuleIds?: string[];
}

export interface SedaHoldRuleLine extends SedaRuleLine {
  holdEndDate?: string;
  holdOwner?: string;
  holdReason?: string;
}

export interface SedaManagement {
  storage?: SedaRuleBlock & { finalAction: 'RestrictAccess' | 'Transfer' | 'Copy' };
  appraisal?: SedaRuleBlock & { finalAction: 'Keep' | 'Destroy' };
  access?: SedaRuleBlock;
  dissemination?: SedaRuleBlock;
  reuse?: SedaRuleBlock;
  classification?: SedaRuleBlock & { classificationLevel: string; classificationOwner: string };
  hold?: Omit<SedaRuleBlock, 'rules'> & { rules: SedaHoldRuleLine[] };
  needAuthorization?: boolean;
}

export interface SedaKeyword {
  content: string;
  /** KeywordType code: corpname, famname, geogname, name, occupation, persname, subject, genreform, function. */
  type?: string;
  reference?: string;
}

export interface SedaUnitContent {
  /** Fonds, Subfonds, Class, Collection, Series, Subseries, RecordGrp, SubGrp, File, Item, OtherLevel. */
  descriptionLevel?: string;
  title: string;
  description?: string;
  /** Identifiers given by the archival agency (the reply of a transfer carries them). */
  archivalAgencyIdentifiers?: string[];
  /** Identifiers given by the originating agency (Bastide puts its own unit id here). */
  originatingAgencyIdentifiers?: string[];
  keywords?: SedaKeyword[];
  originatingAgency?: string;
  submissionAgency?: string;
  /** DateType as written: a date, a dateTime or a year. */
  startDate?: string;
  endDate?: string;
}

/** What a unit points at: an object group, or one object when the package uses no groups. */
export type SedaObjectRef = { groupId: string } | { objectId: string };

export interface SedaUnit {
  id: string;
  management?: SedaManagement;
  content: SedaUnitContent;
  objectRefs: SedaObjectRef[];
  children: SedaUnit[];
}

export interface SedaArchiveTransfer {
  messageIdentifier: string;
  /** xsd:dateTime as written. */
  date: string;
  comments: string[];
  archivalAgreement?: string;
  archivalAgency: string;
  transferringAgency: string;
  originatingAgencyIdentifier?: string;
  submissionAgencyIdentifier?: string;
  objects: SedaBinaryObject[];
  physicalObjects: SedaPhysicalObject[];
  /** The top-level units; children nest. */
  units: SedaUnit[];
}

/** The reply of the archival agency to a transfer (ArchiveTransferReply). */
export interface SedaTransferReply {
  messageIdentifier: string;
  /** The MessageIdentifier of the transfer this reply answers. */
  messageRequestIdentifier: string;
  date: string;
  /** OK, or a SEDA reply code (000/200/… in older code lists, KO, WARNING). */
  replyCode?: string;
  accepted: boolean;
  grantDate?: string;
  archivalAgency: string;
  transferringAgency: string;
  comments: string[];
  /** For each unit of the transfer, by the id our manifest gave it: the archival agency's identifiers. */
  units: { id: string; archivalAgencyIdentifiers: string[]; systemIds: string[] }[];
}

/** Depth-first list of units with their parent, for callers that store units flat. */
export function flattenUnits(units: SedaUnit[], parentId: string | null = null, out: { unit: SedaUnit; parentId: string | null }[] = []) {
  for (const unit of units) {
    out.push({ unit, parentId });
    flattenUnits(unit.children, unit.id, out);
  }
  return out;
}
