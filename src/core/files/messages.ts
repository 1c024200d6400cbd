// Messages for upload errors, shown next to the file field that received the file.
import { type Dictionary, numberFormatter, type Translate } from '../i18n/i18n.ts';
import type { UploadError } from './upload.ts';

export const filesMessages: Dictionary = {
  fr: {
    'core.files.too_large': 'Le fichier dépasse la taille autorisée ({max}).',
    'core.files.type_not_allowed': 'Ce type de fichier n’est pas accepté. Formats acceptés : {allowed}.',
    'core.files.empty': 'Le fichier est vide.',
    'core.files.missing': 'Choisissez un fichier.',
    'core.files.multipart': 'Envoyez le fichier par un formulaire multipart (champ « file »).',
  },
  en: {
    'core.files.too_large': 'The file is larger than allowed ({max}).',
    'core.files.type_not_allowed': 'This type of file is not accepted. Accepted formats: {allowed}.',
    'core.files.empty': 'The file is empty.',
    'core.files.missing': 'Choose a file.',
    'core.files.multipart': 'Send the file with a multipart form (field "file").',
  },
};

const NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
  'text/plain': 'TXT',
  'text/csv': 'CSV',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/zip': 'ZIP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
};

const sizeFormat = numberFormatter({ maximumFractionDigits: 1 });

export function formatBytes(bytes: number, locale: 'fr' | 'en'): string {
  const units = locale === 'fr' ? ['o', 'Ko', 'Mo', 'Go'] : ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const text = sizeFormat(locale).format(value);
  return `${text} ${units[unit]}`;
}

/** The localised message for an upload refused by storeUpload. */
export function uploadErrorMessage(t: Translate, locale: 'fr' | 'en', error: UploadError, allowedTypes: string[]): string {
  return t(`core.files.${error.code}`, {
    max: formatBytes(Number(error.details.max ?? 0), locale),
    allowed: allowedTypes.map((type) => NAMES[type] ?? type).join(', '),
  });
}
