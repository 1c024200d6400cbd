// The words of a validation report, in French first (Validata's titles and messages, restated from
// validata-table 0.10.1's error_messages.py, custom_checks/*.py and structure_warnings.py) and in English.
// Where Validata left frictionless's English text (missing-cell, duplicate-label, unique-error…) or had a
// typo (no space after "excède", "doivent être unique"), Bastide says it in French, correctly.
export type Locale = 'fr' | 'en';

export type Params = Record<string, string | number>;

interface Entry {
  title: [fr: string, en: string];
  message: [fr: (p: Params) => string, en: (p: Params) => string];
}

const s = (p: Params, k: string): string => String(p[k] ?? '');

/** Python's repr() of a string, as Validata's notes print column names ('idBeneficiaire'). */
export function pyRepr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  const body = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** French enumeration: "a, b et c" (Validata's et_join). */
export function etJoin(values: string[], and = 'et'): string {
  if (values.length <= 1) return values[0] ?? '';
  return `${values.slice(0, -1).join(', ')} ${and} ${values[values.length - 1]}`;
}

const ENTRIES: Record<string, Entry> = {
  // Source and structure
  'encoding-error': {
    title: ["Erreur d'encodage", 'Encoding error'],
    message: [(p) => `Un problème d'encodage empêche la lecture du fichier (${s(p, 'note')})`, (p) => `The file cannot be decoded (${s(p, 'note')})`],
  },
  'source-error': {
    title: ['Fichier illisible', 'Unreadable file'],
    message: [
      (p) => `Le fichier ne peut pas être lu comme un tableau CSV : ${s(p, 'note')}.`,
      (p) => `The file cannot be read as a CSV table: ${s(p, 'note')}.`,
    ],
  },
  'source-error.binary': {
    title: ['Fichier illisible', 'Unreadable file'],
    message: [
      () => "Le fichier contient des octets nuls : c'est un fichier binaire (tableur, archive, image…), pas un CSV. Enregistrez-le au format CSV.",
      () => 'The file holds NUL bytes: it is a binary file (spreadsheet, archive, image…), not a CSV. Save it as CSV.',
    ],
  },
  'source-error.empty': {
    title: ['Fichier vide', 'Empty file'],
    message: [() => "Le fichier est vide : il n'a même pas de ligne d'en-tête.", () => 'The file is empty: it has not even a header line.'],
  },
  'source-error.unterminated-quote': {
    title: ['Guillemet non refermé', 'Unterminated quote'],
    message: [
      (p) => `Le champ entre guillemets qui commence à la ligne ${s(p, 'line')} du fichier n'est jamais refermé : la suite du fichier ne peut pas être lue.`,
      (p) => `The quoted field that starts on line ${s(p, 'line')} of the file is never closed: the rest of the file cannot be read.`,
    ],
  },
  'source-error.record-too-large': {
    title: ['Enregistrement trop long', 'Record too long'],
    message: [
      (p) =>
        `L'enregistrement qui commence à la ligne ${s(p, 'line')} du fichier dépasse ${s(p, 'limit')} caractères : un guillemet non refermé, probablement. La suite du fichier ne peut pas être lue.`,
      (p) =>
        `The record that starts on line ${s(p, 'line')} of the file is longer than ${s(p, 'limit')} characters: an unterminated quote, probably. The rest of the file cannot be read.`,
    ],
  },
  // Spreadsheets (spreadsheet/): the file is refused before or while its first sheet is read.
  'source-error.spreadsheet-unreadable': {
    title: ['Tableur illisible', 'Unreadable spreadsheet'],
    message: [
      (p) => `Le fichier n'est pas un tableur ${s(p, 'format')} lisible (${s(p, 'note')}). Enregistrez-le à nouveau depuis votre tableur, ou au format CSV.`,
      (p) => `The file is not a readable ${s(p, 'format')} spreadsheet (${s(p, 'note')}). Save it again from your spreadsheet program, or as CSV.`,
    ],
  },
  'source-error.spreadsheet-file-too-large': {
    title: ['Tableur trop volumineux', 'Spreadsheet too large'],
    message: [
      (p) => `Un tableur de plus de ${s(p, 'limit')} n'est pas lu : enregistrez-le au format CSV, qui n'a pas de limite.`,
      (p) => `A spreadsheet over ${s(p, 'limit')} is not read: save it as CSV, which has no limit.`,
    ],
  },
  'source-error.spreadsheet-bomb': {
    title: ['Archive suspecte', 'Suspicious archive'],
    message: [
      (p) => `Une fois décompressé, le tableur dépasserait ${s(p, 'limit')} (partie « ${s(p, 'part')} ») : il n'est pas lu.`,
      (p) => `Uncompressed, the spreadsheet would exceed ${s(p, 'limit')} (part "${s(p, 'part')}"): it is not read.`,
    ],
  },
  'source-error.spreadsheet-entries': {
    title: ['Archive suspecte', 'Suspicious archive'],
    message: [
      (p) => `Le tableur contient plus de ${s(p, 'limit')} fichiers internes : il n'est pas lu.`,
      (p) => `The spreadsheet holds more than ${s(p, 'limit')} internal files: it is not read.`,
    ],
  },
  'source-error.spreadsheet-path': {
    title: ['Archive suspecte', 'Suspicious archive'],
    message: [
      () => "Le tableur contient un fichier interne au nom dangereux (chemin absolu, « .. » ou nom en double) : il n'est pas lu.",
      () => 'The spreadsheet holds an internal file with a dangerous name (an absolute path, "..", or a repeated name): it is not read.',
    ],
  },
  'source-error.spreadsheet-dtd': {
    title: ['XML refusé', 'XML refused'],
    message: [
      (p) => `La partie « ${s(p, 'part')} » du tableur déclare une DTD ou des entités XML, qu'un tableur n'utilise jamais : elle n'est pas lue.`,
      (p) => `The part "${s(p, 'part')}" of the spreadsheet declares a DTD or XML entities, which no spreadsheet uses: it is not read.`,
    ],
  },
  'source-error.spreadsheet-rows': {
    title: ['Feuille trop grande', 'Sheet too large'],
    message: [
      (p) => `La feuille a plus de ${s(p, 'limit')} lignes : les suivantes ne sont pas lues. Enregistrez-la au format CSV.`,
      (p) => `The sheet has more than ${s(p, 'limit')} rows: the next ones are not read. Save it as CSV.`,
    ],
  },
  'source-error.spreadsheet-columns': {
    title: ['Feuille trop large', 'Sheet too wide'],
    message: [
      (p) => `La ligne ${s(p, 'row')} de la feuille a une valeur au-delà de la colonne ${s(p, 'limit')} : la suite de la feuille n'est pas lue.`,
      (p) => `Row ${s(p, 'row')} of the sheet has a value beyond column ${s(p, 'limit')}: the rest of the sheet is not read.`,
    ],
  },
  'source-error.spreadsheet-cells': {
    title: ['Feuille trop grande', 'Sheet too large'],
    message: [
      (p) => `La feuille dépasse ${s(p, 'limit')} cellules ou une cellule dépasse la taille permise : la suite n'est pas lue. Enregistrez-la au format CSV.`,
      (p) => `The sheet exceeds ${s(p, 'limit')} cells, or a cell its allowed size: the rest is not read. Save it as CSV.`,
    ],
  },
  'encoding-error.mixed': {
    title: ["Erreur d'encodage", 'Encoding error'],
    message: [
      (p) =>
        `Un problème d'encodage empêche la lecture du fichier (il mélange de l'UTF-8 et un autre encodage : octet invalide vers l'octet ${s(p, 'offset')})`,
      (p) => `The file cannot be decoded (it mixes UTF-8 and another encoding: invalid byte near byte ${s(p, 'offset')})`,
    ],
  },
  'blank-label': {
    title: ['En-tête manquant', 'Blank header'],
    message: [(p) => `La colonne n°${s(p, 'position')} n'a pas d'entête.`, (p) => `Column ${s(p, 'position')} has no header.`],
  },
  'duplicate-label': {
    title: ['En-tête en double', 'Duplicate header'],
    message: [
      (p) =>
        `La colonne n°${s(p, 'position')} porte le même nom \`${s(p, 'label')}\` que la colonne n°${s(p, 'first')} : renommez-la ou retirez-la (elle n'est pas vérifiée).`,
      (p) => `Column ${s(p, 'position')} has the same name \`${s(p, 'label')}\` as column ${s(p, 'first')}: rename or remove it (it is not checked).`,
    ],
  },
  'missing-label': {
    title: ['Colonne obligatoire manquante', 'Missing required column'],
    message: [(p) => `La colonne obligatoire \`${s(p, 'field')}\` est manquante.`, (p) => `The required column \`${s(p, 'field')}\` is missing.`],
  },
  'blank-row': {
    title: ['Ligne vide', 'Blank row'],
    message: [() => 'Les lignes vides doivent être retirées de la table.', () => 'Blank rows must be removed from the table.'],
  },
  'extra-cell': {
    title: ['Valeur surnuméraire', 'Extra cell'],
    message: [
      () => 'Le nombre de cellules de cette ligne excède le nombre de colonnes défini dans le schéma.',
      () => 'This row has more cells than the header has columns.',
    ],
  },
  'missing-cell': {
    title: ['Cellule manquante', 'Missing cell'],
    message: [
      (p) => `Cette ligne a moins de cellules que l'en-tête : la colonne \`${s(p, 'field')}\` n'y a pas de valeur.`,
      (p) => `This row has fewer cells than the header: column \`${s(p, 'field')}\` has no value in it.`,
    ],
  },
  // Types
  'type-error.date': {
    title: ['Format de date incorrect', 'Invalid date'],
    message: [
      (p) => (p.iso ? `La forme attendue est ${pyRepr(s(p, 'iso'))}.` : `La date doit être écrite sous la forme \`${s(p, 'form')}\`.`),
      (p) => (p.iso ? `The expected form is ${pyRepr(s(p, 'iso'))}.` : `The date must be written as \`${s(p, 'formEn')}\`.`),
    ],
  },
  'type-error.time': {
    title: ["Format d'heure incorrect", 'Invalid time'],
    message: [(p) => `L'heure doit être écrite sous la forme \`${s(p, 'form')}\`.`, (p) => `The time must be written as \`${s(p, 'formEn')}\`.`],
  },
  'type-error.datetime': {
    title: ['Format de date et heure incorrect', 'Invalid date and time'],
    message: [
      (p) => `La date et l'heure doivent être écrites sous la forme \`${s(p, 'form')}\`.`,
      (p) => `The date and time must be written as \`${s(p, 'formEn')}\`.`,
    ],
  },
  'type-error.year': {
    title: ["Format d'année incorrect", 'Invalid year'],
    message: [() => "L'année doit être composée de 4 chiffres.", () => 'The year must have 4 digits.'],
  },
  'type-error.yearmonth': {
    title: ["Format d'année et mois incorrect", 'Invalid year and month'],
    message: [() => 'La valeur doit être écrite sous la forme `aaaa-mm`.', () => 'The value must be written as `yyyy-mm`.'],
  },
  'type-error.duration': {
    title: ['Format de durée incorrect', 'Invalid duration'],
    message: [
      () => 'La durée doit être écrite au format ISO 8601 (par exemple `P1Y2M10DT2H30M`).',
      () => 'The duration must be written in ISO 8601 (for example `P1Y2M10DT2H30M`).',
    ],
  },
  'type-error.number': {
    title: ['Format de nombre incorrect', 'Invalid number'],
    message: [
      (p) =>
        p.suggestion !== undefined
          ? `Le séparateur décimal à utiliser est le point («\u00a0${s(p, 'suggestion')}\u00a0»).`
          : 'La valeur ne doit comporter que des chiffres et le point comme séparateur décimal.',
      (p) =>
        p.suggestion !== undefined
          ? `The decimal separator is the point (“${s(p, 'suggestion')}”).`
          : 'The value may only hold digits and the point as decimal separator.',
    ],
  },
  'type-error.integer': {
    title: ['Format entier incorrect', 'Invalid integer'],
    message: [() => 'La valeur doit être un nombre entier.', () => 'The value must be a whole number.'],
  },
  'type-error.string': {
    title: ['Format de chaîne incorrect', 'Invalid string'],
    message: [
      (p) =>
        ({
          uri: 'La valeur doit être une adresse de site ou de page internet (URL).',
          email: 'La valeur doit être une adresse email.',
          binary: 'La valeur doit être une chaîne encodée en base64.',
          uuid: 'La valeur doit être un UUID.',
        })[s(p, 'format')] ?? 'La valeur doit être une chaîne de caractères.',
      (p) =>
        ({
          uri: 'The value must be the address of a web site or page (URL).',
          email: 'The value must be an email address.',
          binary: 'The value must be a base64-encoded string.',
          uuid: 'The value must be a UUID.',
        })[s(p, 'format')] ?? 'The value must be a string.',
    ],
  },
  'type-error.boolean': {
    title: ['Valeur booléenne incorrecte', 'Invalid boolean'],
    message: [
      (p) => `Les valeurs acceptées sont ${s(p, 'trueFr')} (vrai) et ${s(p, 'falseFr')} (faux).`,
      (p) => `The accepted values are ${s(p, 'trueEn')} (true) and ${s(p, 'falseEn')} (false).`,
    ],
  },
  'type-error.geopoint': {
    title: ['Coordonnées incorrectes', 'Invalid geographic point'],
    message: [
      (p) => `La valeur doit être un point géographique ${s(p, 'form')}, longitude entre -180 et 180, latitude entre -90 et 90.`,
      (p) => `The value must be a geographic point ${s(p, 'formEn')}, longitude between -180 and 180, latitude between -90 and 90.`,
    ],
  },
  'type-error.json': {
    title: ['Format JSON incorrect', 'Invalid JSON'],
    message: [(p) => `La valeur doit être ${p.type === 'array' ? 'un tableau' : 'un objet'} JSON.`, (p) => `The value must be a JSON ${s(p, 'type')}.`],
  },
  // Constraints
  'constraint-error.required': {
    title: ['Cellule vide', 'Empty cell'],
    message: [() => 'Une valeur doit être renseignée.', () => 'A value is required.'],
  },
  'constraint-error.minLength': {
    title: ['Valeur trop courte', 'Value too short'],
    message: [
      (p) => `Le texte attendu doit comporter au moins ${s(p, 'limit')} caractère(s) (au lieu de ${s(p, 'length')} actuellement).`,
      (p) => `The text must have at least ${s(p, 'limit')} character(s) (it has ${s(p, 'length')}).`,
    ],
  },
  'constraint-error.maxLength': {
    title: ['Valeur trop longue', 'Value too long'],
    message: [
      (p) => `Le texte attendu ne doit pas comporter plus de ${s(p, 'limit')} caractère(s) (au lieu de ${s(p, 'length')} actuellement).`,
      (p) => `The text must have at most ${s(p, 'limit')} character(s) (it has ${s(p, 'length')}).`,
    ],
  },
  'constraint-error.minimum': {
    title: ['Valeur trop petite', 'Value too small'],
    message: [(p) => `La valeur attendue doit être au moins égale à ${s(p, 'limit')}.`, (p) => `The value must be at least ${s(p, 'limit')}.`],
  },
  'constraint-error.maximum': {
    title: ['Valeur trop grande', 'Value too large'],
    message: [(p) => `La valeur attendue doit être au plus égale à ${s(p, 'limit')}.`, (p) => `The value must be at most ${s(p, 'limit')}.`],
  },
  'constraint-error.exclusiveMinimum': {
    title: ['Valeur trop petite', 'Value too small'],
    message: [(p) => `La valeur attendue doit être strictement supérieure à ${s(p, 'limit')}.`, (p) => `The value must be greater than ${s(p, 'limit')}.`],
  },
  'constraint-error.exclusiveMaximum': {
    title: ['Valeur trop grande', 'Value too large'],
    message: [(p) => `La valeur attendue doit être strictement inférieure à ${s(p, 'limit')}.`, (p) => `The value must be less than ${s(p, 'limit')}.`],
  },
  'constraint-error.pattern': {
    title: ['Format incorrect', 'Invalid format'],
    message: [
      (p) => patternHelp(p, '## Exemple(s) valide(s)', '*Aucune description ni exemple à afficher.*'),
      (p) => patternHelp(p, '## Valid example(s)', `*The value does not match the pattern \`${s(p, 'pattern')}\`.*`),
    ],
  },
  'constraint-error.enum': {
    title: ['Valeur incorrecte', 'Value not allowed'],
    message: [
      (p) => (s(p, 'count') === '1' ? `L'unique valeur autorisée est : ${s(p, 'values')}.` : `Les seules valeurs autorisées sont :\n${s(p, 'values')}`),
      (p) => (s(p, 'count') === '1' ? `The only allowed value is: ${s(p, 'values')}.` : `The only allowed values are:\n${s(p, 'values')}`),
    ],
  },
  'unique-error': {
    title: ['Valeur déjà présente', 'Duplicate value'],
    message: [
      (p) => `Toutes les valeurs de cette colonne doivent être uniques : cette valeur figure déjà ligne ${s(p, 'first')}.`,
      (p) => `Every value of this column must be unique: this value is already on row ${s(p, 'first')}.`,
    ],
  },
  'primary-key': {
    title: ['Clé primaire en double', 'Duplicate primary key'],
    message: [
      (p) => `La clé primaire (${s(p, 'fields')}) de cette ligne est déjà celle de la ligne ${s(p, 'first')}.`,
      (p) => `The primary key (${s(p, 'fields')}) of this row is already that of row ${s(p, 'first')}.`,
    ],
  },
  // Validata's custom checks
  'french-siret-value': {
    title: ['Numéro SIRET invalide', 'Invalid SIRET number'],
    message: [
      (p) => `La valeur ${s(p, 'cell')} n'est pas un numéro SIRET français valide.`,
      (p) => `The value ${s(p, 'cell')} is not a valid French SIRET number.`,
    ],
  },
  'french-siren-value': {
    title: ['Numéro SIREN invalide', 'Invalid SIREN number'],
    message: [
      (p) => `La valeur ${s(p, 'cell')} n'est pas un numéro SIREN français valide.`,
      (p) => `The value ${s(p, 'cell')} is not a valid French SIREN number.`,
    ],
  },
  'one-of-required.row': {
    title: ['Une des deux colonnes requises', 'One of two columns required'],
    message: [
      (p) => `incohérence relevée (Au moins l'une des colonnes ${pyRepr(s(p, 'a'))} ou ${pyRepr(s(p, 'b'))} doit comporter une valeur.).`,
      (p) => `inconsistency (At least one of the columns ${pyRepr(s(p, 'a'))} or ${pyRepr(s(p, 'b'))} must hold a value.).`,
    ],
  },
  'one-of-required.table': {
    title: ['Une des deux colonnes requises', 'One of two columns required'],
    message: [
      (p) => `Une des deux colonnes requises : Les deux colonnes ${pyRepr(s(p, 'a'))} et ${pyRepr(s(p, 'b'))} sont manquantes.`,
      (p) => `One of two columns required: both columns ${pyRepr(s(p, 'a'))} and ${pyRepr(s(p, 'b'))} are missing.`,
    ],
  },
  'compare-columns-value': {
    title: ['Comparaison de colonnes', 'Column comparison'],
    message: [
      (p) => `La valeur de la colonne ${s(p, 'a')} \`${s(p, 'va')}\` devrait être ${s(p, 'opFr')} à la valeur de la colonne ${s(p, 'b')} \`${s(p, 'vb')}\`.`,
      (p) => `The value of column ${s(p, 'a')} \`${s(p, 'va')}\` should be ${s(p, 'opEn')} the value of column ${s(p, 'b')} \`${s(p, 'vb')}\`.`,
    ],
  },
  'compare-columns-value.incomparable': {
    title: ['Comparaison de colonnes', 'Column comparison'],
    message: [
      (p) => `La valeur de la colonne ${s(p, 'a')} \`${s(p, 'va')}\` n'est pas comparable avec la valeur de la colonne ${s(p, 'b')} \`${s(p, 'vb')}\`.`,
      (p) => `The value of column ${s(p, 'a')} \`${s(p, 'va')}\` cannot be compared with the value of column ${s(p, 'b')} \`${s(p, 'vb')}\`.`,
    ],
  },
  'sum-columns-value': {
    title: ['Somme de colonnes', 'Sum of columns'],
    message: [
      (p) =>
        `La somme de colonne ne peut être calculée (la somme des valeurs des colonnes ${pyRepr(s(p, 'terms'))} est \`${s(p, 'sum')}\`, ce nombre est différent de celui trouvé dans la colonne ${pyRepr(s(p, 'column'))} (\`${s(p, 'value')}\`)).`,
      (p) =>
        `Sum of columns mismatch (the values of columns ${pyRepr(s(p, 'terms'))} add up to \`${s(p, 'sum')}\`, which differs from column ${pyRepr(s(p, 'column'))} (\`${s(p, 'value')}\`)).`,
    ],
  },
  'cohesive-columns-value': {
    title: ['Cohérence entre colonnes', 'Cohesive columns'],
    message: [
      (p) => `incohérence relevée (Les colonnes ${s(p, 'columns')} doivent toutes comporter une valeur ou toutes être vides).`,
      (p) => `inconsistency (The columns ${s(p, 'columns')} must all hold a value or all be empty).`,
    ],
  },
  'year-interval-value': {
    title: ["Année ou intervalle d'années", 'Year or year interval'],
    message: [
      (p) => `L'année ou l'intervalle d'année ${pyRepr(s(p, 'cell'))} est incorrect (${yearNote(p, 'fr')}).`,
      (p) => `The year or year interval ${pyRepr(s(p, 'cell'))} is incorrect (${yearNote(p, 'en')}).`,
    ],
  },
  'nomenclature-actes-value': {
    title: ['Actes de nomenclature', 'Actes nomenclature'],
    message: [
      (p) => `La valeur ${pyRepr(s(p, 'cell'))} ne respecte pas le format des nomenclatures d'actes (${actesNote(p, 'fr')})`,
      (p) => `The value ${pyRepr(s(p, 'cell'))} does not follow the Actes nomenclature format (${actesNote(p, 'en')})`,
    ],
  },
  'french-gps-coordinates': {
    title: ['Coordonnées GPS invalides', 'Invalid GPS coordinates'],
    message: [
      (p) => `La valeur ${s(p, 'cell')} ne correspond pas à des coordonnées GPS françaises valides.`,
      (p) => `The value ${s(p, 'cell')} is not a location in France.`,
    ],
  },
  'reversed-french-gps-coordinates': {
    title: ['Coordonnées GPS inversées', 'Reversed GPS coordinates'],
    message: [
      (p) => `La valeur ${s(p, 'cell')} correspond à des coordonnées GPS françaises inversées.`,
      (p) => `The value ${s(p, 'cell')} is a location in France with longitude and latitude swapped.`,
    ],
  },
  'check-error': {
    title: ['Erreur de vérification', 'Check error'],
    message: [(p) => s(p, 'fr'), (p) => s(p, 'en')],
  },
  // Warnings (Validata's structure warnings and Bastide's own)
  'missing-header-warn': {
    title: ['Colonne manquante', 'Missing column'],
    message: [(p) => `Ajoutez la colonne manquante \`${s(p, 'field')}\`.`, (p) => `Add the missing column \`${s(p, 'field')}\`.`],
  },
  'extra-header-warn': {
    title: ['Colonne surnuméraire', 'Extra column'],
    message: [
      (p) => `Retirez la colonne \`${s(p, 'field')}\` non définie dans le schéma.`,
      (p) => `Remove the column \`${s(p, 'field')}\`, which the schema does not define.`,
    ],
  },
  'disordered-header-warn': {
    title: ['Colonnes désordonnées', 'Columns out of order'],
    message: [
      (p) => `Réordonnez les colonnes du fichier pour respecter le schéma : ${s(p, 'order')}.`,
      (p) => `Reorder the columns of the file as in the schema: ${s(p, 'order')}.`,
    ],
  },
  'header-case-warn': {
    title: ['Casse de colonne', 'Column name case'],
    message: [
      (p) =>
        `La colonne \`${s(p, 'label')}\` n'est pas reconnue : le schéma l'écrit \`${s(p, 'field')}\` (les noms de colonnes distinguent majuscules et minuscules).`,
      (p) => `The column \`${s(p, 'label')}\` is not recognised: the schema spells it \`${s(p, 'field')}\` (column names are case-sensitive).`,
    ],
  },
  'unknown-check-warn': {
    title: ['Vérification inconnue', 'Unknown check'],
    message: [
      (p) => `${pyRepr(s(p, 'name'))}: custom check inconnu ; cette vérification du schéma n'a pas été faite.`,
      (p) => `${pyRepr(s(p, 'name'))}: unknown custom check; this check of the schema was not made.`,
    ],
  },
  'encoding-warn': {
    title: ['Encodage', 'Encoding'],
    message: [
      (p) => `Le fichier n'est pas en UTF-8 : il a été lu comme du ${s(p, 'encoding')}. Enregistrez-le en UTF-8 pour que ses accents soient lus partout.`,
      (p) => `The file is not UTF-8: it was read as ${s(p, 'encoding')}. Save it as UTF-8 so that its accents read right everywhere.`,
    ],
  },
  'unique-capacity-warn': {
    title: ['Unicité vérifiée en partie', 'Uniqueness partly checked'],
    message: [
      (p) => `L'unicité de ${s(p, 'what')} n'a été vérifiée que sur les ${s(p, 'limit')} premières valeurs distinctes (limite de mémoire).`,
      (p) => `The uniqueness of ${s(p, 'what')} was checked on the first ${s(p, 'limit')} distinct values only (memory limit).`,
    ],
  },
};

function patternHelp(p: Params, exampleHeading: string, none: string): string {
  const parts: string[] = [];
  if (p.description !== undefined) parts.push(`${s(p, 'description')}\n`);
  if (p.example !== undefined) parts.push(`${exampleHeading}\n${s(p, 'example')}\n`);
  return parts.length ? parts.join('\n').trimEnd() : none;
}

function yearNote(p: Params, locale: Locale): string {
  const fr: Record<string, string> = {
    interval: 'format attendu: AAAA/AAAA',
    'year-or-interval': 'format attendu: année (AAAA) ou intervale (AAAA/AAAA)',
    same: 'les deux années doivent être différentes',
    // Validata never fills the second placeholder (a bug); Bastide does.
    order: `la deuxième année (${s(p, 'y2')}) doit être postérieure à la première (${s(p, 'y1')})`,
  };
  const en: Record<string, string> = {
    interval: 'expected form: YYYY/YYYY',
    'year-or-interval': 'expected form: year (YYYY) or interval (YYYY/YYYY)',
    same: 'the two years must differ',
    order: `the second year (${s(p, 'y2')}) must come after the first (${s(p, 'y1')})`,
  };
  return (locale === 'fr' ? fr : en)[s(p, 'note')] ?? '';
}

function actesNote(p: Params, locale: Locale): string {
  const note = s(p, 'note');
  if (note === 'slash') return locale === 'fr' ? 'le signe oblique « / » est manquant' : 'the slash “/” is missing';
  if (note === 'space')
    return locale === 'fr' ? "Le signe oblique ne doit pas être précédé ni suivi d'espace" : 'the slash must not have a space before or after it';
  return locale === 'fr'
    ? `le préfixe de nomenclature Actes ${pyRepr(s(p, 'prefix'))} n'est pas reconnu`
    : `the Actes nomenclature prefix ${pyRepr(s(p, 'prefix'))} is not known`;
}

export function hasMessage(key: string): boolean {
  return key in ENTRIES;
}

export function title(key: string, locale: Locale): string {
  const entry = ENTRIES[key];
  return entry ? entry.title[locale === 'en' ? 1 : 0] : key;
}

export function message(key: string, params: Params, locale: Locale): string {
  const entry = ENTRIES[key];
  if (!entry) throw new Error(`no message for ${key}`);
  return entry.message[locale === 'en' ? 1 : 0](params);
}
