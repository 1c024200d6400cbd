// The three demo procedures every demo EPCI publishes: realistic forms that use most field types,
// conditions and a repeated block, as a collectivité would write them.
import type { ProcedureDefinition } from './fields/definition.ts';

export const SUBSIDY: ProcedureDefinition = {
  title: 'Demande de subvention associative',
  description:
    'Les associations dont le siège ou l’activité se situe sur le territoire peuvent demander une subvention de fonctionnement ou de projet. Les demandes sont examinées en commission deux fois par an.',
  fields: [
    { key: 'asso', label: 'L’association', type: 'section' },
    { key: 'nom', label: 'Nom de l’association', type: 'text', required: true, maxLength: 200 },
    { key: 'siret', label: 'Numéro SIRET', type: 'siret', required: true, hint: '14 chiffres, sur l’avis de situation au répertoire SIRENE.' },
    { key: 'rna', label: 'Numéro RNA', type: 'text', pattern: 'W[0-9]{9}', hint: 'W suivi de 9 chiffres, sur le récépissé de déclaration en préfecture.' },
    { key: 'commune', label: 'Commune du siège social', type: 'commune', required: true },
    { key: 'courriel', label: 'Adresse électronique de l’association', type: 'email', required: true },
    { key: 'telephone', label: 'Téléphone', type: 'phone' },
    {
      key: 'bureau',
      label: 'Membre du bureau',
      type: 'repetition',
      min: 1,
      max: 6,
      fields: [
        { key: 'nom_membre', label: 'Prénom et nom', type: 'text', required: true },
        { key: 'fonction', label: 'Fonction', type: 'dropdown', required: true, options: ['Président·e', 'Trésorier·e', 'Secrétaire', 'Autre'] },
      ],
    },
    { key: 'projet_section', label: 'Le projet', type: 'section' },
    { key: 'intitule', label: 'Intitulé du projet', type: 'text', required: true, maxLength: 200 },
    { key: 'domaine', label: 'Domaine', type: 'choice', required: true, options: ['Sport', 'Culture', 'Solidarité', 'Environnement', 'Jeunesse'] },
    { key: 'description', label: 'Description du projet', type: 'textarea', required: true, maxLength: 5000, hint: 'Objectifs, publics visés, calendrier.' },
    { key: 'montant', label: 'Montant demandé (en euros)', type: 'decimal', required: true, min: 100, max: 50000 },
    {
      key: 'budget',
      label: 'Budget prévisionnel du projet',
      type: 'file',
      required: true,
      accept: ['application/pdf', 'application/vnd.oasis.opendocument.spreadsheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      maxBytes: 5_000_000,
      hint: 'PDF ou tableur, 5 Mo au plus.',
    },
    { key: 'deja_aidee', label: 'L’association a-t-elle déjà reçu une subvention de notre part ?', type: 'yes_no', required: true },
    {
      key: 'montant_precedent',
      label: 'Montant de la dernière subvention reçue (en euros)',
      type: 'decimal',
      min: 0,
      visibleIf: { field: 'deja_aidee', op: 'equals', value: true },
      requiredIf: { field: 'deja_aidee', op: 'equals', value: true },
    },
    { key: 'versement', label: 'Versement', type: 'section' },
    { key: 'iban', label: 'IBAN du compte de l’association', type: 'iban', required: true },
    {
      key: 'rgpd',
      label: 'Les informations recueillies servent à instruire votre demande ; elles sont conservées un an après la décision puis versées aux archives.',
      type: 'explanation',
    },
    { key: 'attestation', label: 'Je certifie sur l’honneur l’exactitude des informations fournies', type: 'checkbox', required: true },
  ],
};

export const ROOMS = ['Salle des fêtes', 'Salle polyvalente', 'Maison des associations — salle 1', 'Salle du conseil (réunions)'];

export const ROOM_BOOKING: ProcedureDefinition = {
  title: 'Réservation de salle municipale',
  description:
    'Réservez une salle pour une réunion, une assemblée générale ou un événement familial. La réservation est confirmée par courriel après vérification des disponibilités.',
  fields: [
    { key: 'salle', label: 'Salle souhaitée', type: 'dropdown', required: true, options: ROOMS },
    { key: 'debut', label: 'Début de la réservation', type: 'datetime', required: true, min: '2026-01-01T00:00' },
    { key: 'fin', label: 'Fin de la réservation', type: 'datetime', required: true, min: '2026-01-01T00:00' },
    { key: 'participants', label: 'Nombre de participants attendus', type: 'integer', required: true, min: 1, max: 500 },
    {
      key: 'motif',
      label: 'Motif',
      type: 'choice',
      required: true,
      options: ['Réunion associative', 'Assemblée générale', 'Fête familiale', 'Spectacle', 'Autre'],
    },
    {
      key: 'motif_autre',
      label: 'Précisez le motif',
      type: 'text',
      visibleIf: { field: 'motif', op: 'equals', value: 'Autre' },
      requiredIf: { field: 'motif', op: 'equals', value: 'Autre' },
    },
    { key: 'materiel', label: 'Avez-vous besoin de matériel ?', type: 'yes_no', required: true },
    {
      key: 'equipements',
      label: 'Matériel souhaité',
      type: 'multiple_choice',
      options: ['Sonorisation', 'Vidéoprojecteur', 'Tables et chaises', 'Cuisine équipée'],
      visibleIf: { field: 'materiel', op: 'equals', value: true },
    },
    { key: 'organisateur', label: 'Nom de l’organisateur ou de l’association', type: 'text', required: true },
    { key: 'telephone', label: 'Téléphone joignable le jour de l’événement', type: 'phone', required: true },
    {
      key: 'tarifs',
      label: 'Tarifs : gratuit pour les associations du territoire ; 150 € la journée pour les particuliers (caution de 500 €).',
      type: 'explanation',
    },
    { key: 'reglement', label: 'J’ai lu et j’accepte le règlement d’utilisation des salles', type: 'checkbox', required: true },
  ],
};

export const PUBLIC_SPACE_REPORT: ProcedureDefinition = {
  title: 'Signalement sur l’espace public',
  description:
    'Un dépôt sauvage, un nid-de-poule, un lampadaire en panne ? Signalez-le : votre signalement est transmis directement aux services de la commune concernée.',
  fields: [
    {
      key: 'nature',
      label: 'Nature du problème',
      type: 'dropdown',
      required: true,
      options: ['Dépôt sauvage', 'Nid-de-poule ou chaussée abîmée', 'Éclairage public en panne', 'Tag ou graffiti', 'Mobilier urbain dégradé', 'Autre'],
    },
    { key: 'commune', label: 'Commune', type: 'commune', required: true, hint: 'Nom ou code postal, par exemple 44400.' },
    {
      key: 'adresse',
      label: 'Adresse ou lieu précis',
      type: 'address',
      required: true,
      hint: 'Numéro et rue, ou un repère : « devant l’école », « parking du stade ».',
    },
    { key: 'description', label: 'Description', type: 'textarea', required: true, maxLength: 2000 },
    { key: 'constate_le', label: 'Date à laquelle vous l’avez constaté', type: 'date' },
    {
      key: 'photo',
      label: 'Photo',
      type: 'file',
      accept: ['image/jpeg', 'image/png', 'image/webp'],
      maxBytes: 10_000_000,
      hint: 'Facultatif : une photo aide les équipes à intervenir.',
    },
    { key: 'rappel', label: 'Souhaitez-vous être rappelé·e ?', type: 'yes_no' },
    {
      key: 'telephone',
      label: 'Téléphone',
      type: 'phone',
      visibleIf: { field: 'rappel', op: 'equals', value: true },
      requiredIf: { field: 'rappel', op: 'equals', value: true },
    },
  ],
};

/** Valid-looking identifiers: the Luhn digit of a SIRET, the check digits of a French IBAN. */
export function siretWithKey(base13: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = `${base13}${d}`;
    let sum = 0;
    for (let i = 0; i < 14; i++) {
      let n = Number(candidate[13 - i]);
      if (i % 2 === 1) {
        n *= 2;
        if (n > 9) n -= 9;
      }
      sum += n;
    }
    if (sum % 10 === 0) return candidate;
  }
  throw new Error('unreachable');
}

export function frenchIban(bban: string): string {
  const digits = `${bban}FR00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  const check = 98n - (BigInt(digits) % 97n);
  return `FR${String(check).padStart(2, '0')}${bban}`;
}
