// Texts of the debate kits, meetings, documents and results, French first (keys debates.kits.…, debates.meetings.…).
import type { Dictionary } from '../../../core/i18n/i18n.ts';

export const debatesKitsMessages: Dictionary = {
  fr: {
    'debates.kits.format.not_object': 'Ce fichier n’est pas un kit de concertation : un kit est un objet JSON.',
    'debates.kits.format.not_a_kit': 'Ce fichier n’est pas un kit de concertation : le champ « format » doit valoir « {format} ».',
    'debates.kits.format.version': 'Version de kit {found} non prise en charge (version prise en charge : {supported}).',
    'debates.kits.format.field': 'Champ « {path} » : {message}.',
    'debates.kits.format.bad_text': 'Champ « {path} » : texte illisible (caractères invalides).',
    'debates.kits.format.markup': 'Champ « {path} » : le texte contient du HTML ou du code ; un kit ne contient que du texte simple.',
    'debates.kits.format.too_long': 'Les phases durent {days} jours au total ; une concertation dure au plus {max} jours.',
    'debates.kits.format.meeting_after_end': 'Champ « {path} » : la réunion tombe après la fin de la concertation ({days} jours).',
    'debates.kits.format.duplicate_key': 'Champ « {path} » : cette clé est déjà utilisée dans le kit.',
    'debates.kits.format.too_big': 'Fichier trop volumineux : un kit pèse au plus {max} Ko.',
    'debates.kits.format.not_utf8': 'Ce fichier n’est pas un texte UTF-8 : enregistrez-le en UTF-8 et recommencez.',
    'debates.kits.format.not_json': 'Ce fichier n’est pas du JSON valide ({detail}).',
  },
  en: {
    'debates.kits.format.not_object': 'This file is not a debate kit: a kit is a JSON object.',
    'debates.kits.format.not_a_kit': 'This file is not a debate kit: the “format” field must be “{format}”.',
    'debates.kits.format.version': 'Kit version {found} is not supported (supported version: {supported}).',
    'debates.kits.format.field': 'Field “{path}”: {message}.',
    'debates.kits.format.bad_text': 'Field “{path}”: unreadable text (invalid characters).',
    'debates.kits.format.markup': 'Field “{path}”: the text contains HTML or code; a kit holds plain text only.',
    'debates.kits.format.too_long': 'The phases last {days} days in all; a debate lasts at most {max} days.',
    'debates.kits.format.meeting_after_end': 'Field “{path}”: the meeting falls after the end of the debate ({days} days).',
    'debates.kits.format.duplicate_key': 'Field “{path}”: this key is already used in the kit.',
    'debates.kits.format.too_big': 'File too large: a kit weighs at most {max} KB.',
    'debates.kits.format.not_utf8': 'This file is not UTF-8 text: save it as UTF-8 and try again.',
    'debates.kits.format.not_json': 'This file is not valid JSON ({detail}).',
  },
};
