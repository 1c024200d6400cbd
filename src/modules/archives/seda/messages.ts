// Texts of the SEDA library, French first (docs/modules.md §4). The archives module merges
// `sedaMessages` into its own dictionary; `sedaMessage()` formats an issue without the app's
// installed dictionaries, so the library and its command-line callers stand alone.
import type { Dictionary } from '../../../core/i18n/i18n.ts';

export const sedaMessages: Dictionary = {
  fr: {
    'archives.seda.refused': 'Paquet SEDA refusé : {count} erreur(s).',
    'archives.seda.zip.unreadable': "Le paquet n'est pas une archive zip lisible ({reason}).",
    'archives.seda.zip.too_many_entries': 'Le paquet contient plus de {max} fichiers : refusé.',
    'archives.seda.zip.too_large': 'Le paquet décompressé dépasse {max} octets : refusé (bombe zip possible).',
    'archives.seda.zip.ratio':
      'Le fichier « {name} » se décompresse {ratio} fois plus gros que sa forme compressée (plus de {max}) : refusé (bombe zip possible).',
    'archives.seda.zip.size_mismatch': 'Le fichier « {name} » ne se décompresse pas à la taille que le zip annonce : paquet corrompu ou piégé.',
    'archives.seda.zip.unsafe_path': 'Le chemin « {name} » sort du paquet (chemin absolu, « .. » ou barre oblique inverse) : refusé.',
    'archives.seda.zip.symlink': 'Le fichier « {name} » est un lien symbolique : refusé.',
    'archives.seda.zip.encrypted': 'Le fichier « {name} » est chiffré : refusé.',
    'archives.seda.zip.duplicate': 'Le fichier « {name} » figure deux fois dans le paquet : refusé.',
    'archives.seda.zip.method': 'Le fichier « {name} » utilise une méthode de compression non prise en charge.',
    'archives.seda.manifest.missing': 'Le paquet ne contient pas de bordereau (manifest.xml à la racine).',
    'archives.seda.manifest.ambiguous': 'Le paquet contient plusieurs bordereaux possibles ({names}) : nommez-le manifest.xml.',
    'archives.seda.manifest.too_large': 'Le bordereau dépasse {max} octets.',
    'archives.seda.xml.dtd':
      'Le bordereau déclare une DTD ou des entités (<!DOCTYPE>) : refusé (risque d’entité externe XXE ou d’expansion « billion laughs »).',
    'archives.seda.xml.encoding': 'Le bordereau doit être encodé en UTF-8 ({encoding} trouvé).',
    'archives.seda.xml.malformed': 'Bordereau mal formé, ligne {line} : {message}',
    'archives.seda.xml.invalid': 'Bordereau non conforme aux schémas SEDA 2.3, ligne {line} : {message}',
    'archives.seda.xml.root': 'Le document n’est pas un message {expected} SEDA 2.3 (élément racine {found}).',
    'archives.seda.object.unsafe_uri': 'L’objet {id} désigne « {uri} », hors du paquet : refusé.',
    'archives.seda.object.missing': 'L’objet {id} est annoncé (« {uri} ») mais absent du paquet.',
    'archives.seda.object.extra': 'Le fichier « {name} » est dans le paquet mais le bordereau ne le décrit pas.',
    'archives.seda.object.duplicate_uri': 'Le fichier « {uri} » est décrit par plusieurs objets ({id}).',
    'archives.seda.object.size': 'L’objet {id} (« {uri} ») fait {actual} octets, le bordereau en annonce {declared}.',
    'archives.seda.object.digest': 'L’empreinte {algorithm} de l’objet {id} (« {uri} ») ne correspond pas à son contenu.',
    'archives.seda.object.algorithm': 'L’objet {id} utilise un algorithme d’empreinte non pris en charge ({algorithm}).',
    'archives.seda.object.no_content': 'L’objet {id} n’a ni Uri ni Attachment : son contenu manque.',
    'archives.seda.object.too_large': 'L’objet {id} dépasse la taille maximale d’un objet ({max} octets).',
    'archives.seda.object.unreferenced': 'L’objet {id} n’est rattaché à aucune unité d’archives : il serait conservé sans description.',
    'archives.seda.ref.unknown': 'L’unité {unit} renvoie à « {ref} », qui n’est pas dans le paquet.',
    'archives.seda.unit.unsupported_ref': 'L’unité {unit} est une référence à une autre unité (ArchiveUnitRefId) : non prise en charge.',
    'archives.seda.unit.no_title': 'L’unité {unit} n’a pas de titre (Title).',
    'archives.seda.unit.too_many': 'Le bordereau décrit plus de {max} unités d’archives.',
    'archives.seda.unit.too_deep': 'L’arborescence des unités dépasse {max} niveaux.',
    'archives.seda.write.id': 'Identifiant « {id} » invalide pour SEDA (nom XML attendu) ou en double.',
    'archives.seda.write.content': 'Le contenu de l’objet {id} ne correspond pas à sa taille ou à son empreinte enregistrées.',
    'archives.seda.write.unknown_object': 'L’unité {unit} renvoie à l’objet {ref}, qui n’est pas dans le paquet.',
    'archives.seda.reply.rejected': 'Le service d’archives a rejeté le transfert {request} (code {code}).',
    'archives.seda.reply.mismatch': 'Cette réponse concerne le message {found}, pas ce transfert ({expected}).',
    'archives.seda.transfer.units': 'Choisissez de 1 à {max} unités d’archives à transférer (identifiants).',
    'archives.seda.transfer.agency': 'Indiquez le service d’archives destinataire (archival_agency, 500 caractères au plus).',
    'archives.seda.transfer.comment': 'Le commentaire dépasse {max} caractères.',
    'archives.seda.communication.request': 'Indiquez la demande à laquelle répond la communication (request, 200 caractères au plus).',
    'archives.seda.communication.requester': 'Indiquez le demandeur (requester, 500 caractères au plus).',
  },
  en: {
    'archives.seda.refused': 'SEDA package refused: {count} error(s).',
    'archives.seda.zip.unreadable': 'The package is not a readable zip file ({reason}).',
    'archives.seda.zip.too_many_entries': 'The package holds more than {max} files: refused.',
    'archives.seda.zip.too_large': 'The unpacked package exceeds {max} bytes: refused (possible zip bomb).',
    'archives.seda.zip.ratio': 'The file "{name}" inflates {ratio} times its compressed size (more than {max}): refused (possible zip bomb).',
    'archives.seda.zip.size_mismatch': 'The file "{name}" does not inflate to the size the zip declares: corrupt or crafted package.',
    'archives.seda.zip.unsafe_path': 'The path "{name}" escapes the package (absolute, "..", or backslash): refused.',
    'archives.seda.zip.symlink': 'The file "{name}" is a symbolic link: refused.',
    'archives.seda.zip.encrypted': 'The file "{name}" is encrypted: refused.',
    'archives.seda.zip.duplicate': 'The file "{name}" appears twice in the package: refused.',
    'archives.seda.zip.method': 'The file "{name}" uses an unsupported compression method.',
    'archives.seda.manifest.missing': 'The package has no manifest (manifest.xml at its root).',
    'archives.seda.manifest.ambiguous': 'The package has several possible manifests ({names}): name it manifest.xml.',
    'archives.seda.manifest.too_large': 'The manifest exceeds {max} bytes.',
    'archives.seda.xml.dtd': 'The manifest declares a DTD or entities (<!DOCTYPE>): refused (XML external entity or "billion laughs" expansion risk).',
    'archives.seda.xml.encoding': 'The manifest must be encoded in UTF-8 ({encoding} found).',
    'archives.seda.xml.malformed': 'Malformed manifest, line {line}: {message}',
    'archives.seda.xml.invalid': 'The manifest does not conform to the SEDA 2.3 schemas, line {line}: {message}',
    'archives.seda.xml.root': 'The document is not a SEDA 2.3 {expected} message (root element {found}).',
    'archives.seda.object.unsafe_uri': 'Object {id} points at "{uri}", outside the package: refused.',
    'archives.seda.object.missing': 'Object {id} is listed ("{uri}") but missing from the package.',
    'archives.seda.object.extra': 'The file "{name}" is in the package but the manifest does not describe it.',
    'archives.seda.object.duplicate_uri': 'The file "{uri}" is described by several objects ({id}).',
    'archives.seda.object.size': 'Object {id} ("{uri}") is {actual} bytes, the manifest declares {declared}.',
    'archives.seda.object.digest': 'The {algorithm} digest of object {id} ("{uri}") does not match its content.',
    'archives.seda.object.algorithm': 'Object {id} uses an unsupported digest algorithm ({algorithm}).',
    'archives.seda.object.no_content': 'Object {id} has neither Uri nor Attachment: its content is missing.',
    'archives.seda.object.too_large': 'Object {id} exceeds the maximum object size ({max} bytes).',
    'archives.seda.object.unreferenced': 'Object {id} belongs to no archive unit: it would be kept without a description.',
    'archives.seda.ref.unknown': 'Unit {unit} refers to "{ref}", which is not in the package.',
    'archives.seda.unit.unsupported_ref': 'Unit {unit} is a reference to another unit (ArchiveUnitRefId): not supported.',
    'archives.seda.unit.no_title': 'Unit {unit} has no title (Title).',
    'archives.seda.unit.too_many': 'The manifest describes more than {max} archive units.',
    'archives.seda.unit.too_deep': 'The unit tree is deeper than {max} levels.',
    'archives.seda.write.id': 'Identifier "{id}" is not valid in SEDA (an XML name is expected) or is used twice.',
    'archives.seda.write.content': 'The content of object {id} does not match its recorded size or digest.',
    'archives.seda.write.unknown_object': 'Unit {unit} refers to object {ref}, which is not in the package.',
    'archives.seda.reply.rejected': 'The archival agency rejected transfer {request} (code {code}).',
    'archives.seda.reply.mismatch': 'This reply answers message {found}, not this transfer ({expected}).',
    'archives.seda.transfer.units': 'Choose 1 to {max} archive units to transfer (their ids).',
    'archives.seda.transfer.agency': 'Name the receiving archival agency (archival_agency, at most 500 characters).',
    'archives.seda.transfer.comment': 'The comment exceeds {max} characters.',
    'archives.seda.communication.request': 'Name the request this communication answers (request, at most 200 characters).',
    'archives.seda.communication.requester': 'Name the requester (requester, at most 500 characters).',
  },
};

/** Every message key of the library, for the module's dictionary tests. */
export const SEDA_MESSAGE_KEYS = Object.keys(sedaMessages.fr);

/** One reason a package is refused: a dictionary key and its parameters. */
export interface SedaIssue {
  key: string;
  params: Record<string, string | number>;
}

/** A refused package or message: every issue found, not only the first (issue 13: "with the reasons"). */
export class SedaError extends Error {
  readonly issues: SedaIssue[];
  constructor(issues: SedaIssue[]) {
    super(issues.map((i) => sedaMessage('en', i)).join('\n'));
    this.name = 'SedaError';
    this.issues = issues;
  }
}

export function issue(key: string, params: Record<string, string | number> = {}): SedaIssue {
  return { key, params };
}

/** The issue in one language, from this library's own dictionary. */
export function sedaMessage(locale: 'fr' | 'en', i: SedaIssue): string {
  const template = sedaMessages[locale][i.key] ?? sedaMessages.fr[i.key];
  if (typeof template !== 'string') return i.key;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (name in i.params ? String(i.params[name]) : `{${name}}`));
}
