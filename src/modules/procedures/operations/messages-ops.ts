// Messages of the operations side (settings validation, export links), French and English.
import { addMessages } from '../../../core/i18n/i18n.ts';

addMessages('fr', {
  'procedures.ops.errors.object': 'Attendu : un objet JSON.',
  'procedures.ops.errors.unknown_event': 'Événement inconnu : utilisez submitted, en_construction, en_instruction, accepte, refuse, sans_suite ou message.',
  'procedures.ops.errors.template': 'Un modèle a un objet et un corps non vides.',
  'procedures.ops.errors.template_size': 'Objet d’une seule ligne de 300 caractères au plus, corps de 10 000 caractères au plus.',
  'procedures.ops.errors.url': 'Saisissez une adresse https:// valide.',
  'procedures.ops.errors.secret': 'Le secret doit compter de 16 à 200 caractères.',
  'procedures.ops.errors.retention_action': 'Choisissez archive, anonymise ou delete.',
  'procedures.ops.errors.days': 'Saisissez un nombre de jours entier et positif.',
  'procedures.ops.errors.reminder': 'Le rappel doit précéder l’expiration (nombre de jours inférieur).',
  'procedures.ops.export_csv': 'Exporter les dossiers (CSV)',
  'procedures.ops.export_json': 'Exporter les dossiers (JSON)',
  'procedures.ops.dossier_pdf': 'Télécharger le dossier (PDF)',
  'procedures.ops.receipt_pdf': 'Télécharger l’accusé de réception (PDF)',
});

addMessages('en', {
  'procedures.ops.errors.object': 'Expected: a JSON object.',
  'procedures.ops.errors.unknown_event': 'Unknown event: use submitted, en_construction, en_instruction, accepte, refuse, sans_suite or message.',
  'procedures.ops.errors.template': 'A template has a non-empty subject and body.',
  'procedures.ops.errors.template_size': 'Subject: one line of at most 300 characters; body: at most 10,000 characters.',
  'procedures.ops.errors.url': 'Enter a valid https:// address.',
  'procedures.ops.errors.secret': 'The secret must be 16 to 200 characters long.',
  'procedures.ops.errors.retention_action': 'Choose archive, anonymise or delete.',
  'procedures.ops.errors.days': 'Enter a whole, positive number of days.',
  'procedures.ops.errors.reminder': 'The reminder must come before the expiry (fewer days).',
  'procedures.ops.export_csv': 'Export the dossiers (CSV)',
  'procedures.ops.export_json': 'Export the dossiers (JSON)',
  'procedures.ops.dossier_pdf': 'Download the dossier (PDF)',
  'procedures.ops.receipt_pdf': 'Download the receipt (PDF)',
});
