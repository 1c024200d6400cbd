// The validator on hand-made files: real-world encodings and layouts, broken input, each Table Schema type
// and constraint, Validata's custom checks, bounded memory (error cap, unique tables), and both languages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileSchema, CsvValidator, loadBundledSchema, SchemaError, validateCsv, type ValidationReport } from './index.ts';
import { isSiren, isSiret } from './checks.ts';
import { BoundedHashSet, hash64 } from './hashset.ts';

const SUB = loadBundledSchema('scdl-subventions');
const HEADER =
  'nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide';
const ROW =
  'Ville de Nantes,21440109300015,2023-02-01,D-1,Les Écuries,52499120500013,,"Fête du quartier, édition ""2023""",1500.50,aide en numéraire,unique,2023-03-01,,non,1,';

const codes = (r: ValidationReport) => r.errors.map((e) => e.code);
const win1252 = (text: string) =>
  Uint8Array.from(
    [...text].map((c) => {
      const map: Record<string, number> = { é: 0xe9, É: 0xc9, è: 0xe8, ç: 0xe7, '€': 0x80, à: 0xe0 };
      return map[c] ?? c.charCodeAt(0);
    }),
  );

function schema(fields: object[], extra: object = {}) {
  return compileSchema({ fields, ...extra });
}

test('a valid file: UTF-8, with or without BOM, LF or CRLF, a quoted newline, in one piece or byte by byte', async () => {
  const text = `${HEADER}\n${ROW}\n${ROW.replace('Fête du quartier', 'Fête\ndu quartier')}\n`;
  const plain = await validateCsv(text, SUB);
  assert.deepEqual([plain.valid, plain.stats.rows, plain.stats.encoding, plain.stats.bom], [true, 2, 'utf-8', false], JSON.stringify(plain.errors));
  const bom = await validateCsv(Uint8Array.from([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]), SUB);
  assert.deepEqual([bom.valid, bom.stats.bom, bom.warnings], [true, true, []]);
  const crlf = await validateCsv(text.replace(/\n(?!du)/g, '\r\n'), SUB);
  assert.equal(crlf.valid, true, JSON.stringify(crlf.errors));
  const bytes = new TextEncoder().encode(text);
  const v = new CsvValidator(SUB);
  for (const b of bytes) v.push(Uint8Array.of(b));
  assert.deepEqual(v.end(), plain);
});

test('semicolons and tabs are detected, and so is UTF-16 with a BOM', async () => {
  for (const d of [';', '\t']) {
    const text = `${HEADER.replaceAll(',', d)}\n${ROW.replace('"Fête du quartier, édition ""2023"""', 'Fête').replaceAll(',', d)}\n`;
    const r = await validateCsv(text, SUB);
    assert.deepEqual([r.valid, r.stats.delimiter], [true, d], JSON.stringify(r.errors));
  }
  const text = `${HEADER}\n${ROW}\n`;
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const r = await validateCsv(utf16, SUB);
  assert.deepEqual([r.valid, r.stats.encoding], [true, 'utf-16le']);
});

test('Windows-1252 is read with a warning, even when its first accent comes after megabytes of ASCII', async () => {
  const early = await validateCsv(win1252(`${HEADER}\n${ROW}\n`), SUB);
  assert.equal(early.valid, true, JSON.stringify(early.errors));
  assert.equal(early.stats.encoding, 'windows-1252');
  assert.deepEqual(
    early.warnings.map((w) => w.code),
    ['encoding-warn'],
  );
  const ascii = ROW.replace('Les Écuries', 'Les Ecuries').replace('Fête', 'Fete').replace('numéraire', 'numeraire');
  const many = `${HEADER}\n${`${ascii}\n`.repeat(20000)}${ROW}\n`;
  const v = new CsvValidator(SUB, { maxErrors: 5 });
  const bytes = win1252(many);
  for (let i = 0; i < bytes.length; i += 65536) v.push(bytes.subarray(i, i + 65536));
  const late = v.end();
  assert.equal(late.stats.encoding, 'windows-1252');
  // The ASCII rows say "numeraire" (not in the enum); the last row, decoded right, is valid.
  assert.equal(late.stats.errorCount, 20000);
  assert.equal(late.errors.length, 5);
  assert.equal(late.stats.truncated, true);
  assert.ok(late.warnings.some((w) => w.code === 'encoding-warn'));
});

test('a file mixing UTF-8 and Latin-1 is an encoding error', async () => {
  const bytes = Buffer.concat([Buffer.from(`${HEADER}\n${ROW}\n`, 'utf8'), Buffer.from([0x66, 0xe9, 0x65, 0x0a])]);
  const r = await validateCsv(bytes, SUB);
  assert.equal(r.valid, false);
  assert.equal(codes(r).at(-1), 'encoding-error');
  assert.match(r.errors.at(-1)!.message, /^Un problème d'encodage empêche la lecture du fichier \(/);
});

test('broken input: binary data, empty file, unterminated quote, ragged rows, blank rows and labels', async () => {
  const binary = await validateCsv(Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x08, 0x00, 0xff, 0x00]), SUB);
  assert.deepEqual([binary.valid, codes(binary)], [false, ['source-error']]);
  assert.match(binary.errors[0]!.message, /binaire/);
  const empty = await validateCsv('', SUB);
  assert.deepEqual([empty.valid, codes(empty)], [false, ['source-error']]);
  const quote = await validateCsv(`${HEADER}\n${ROW}\n${ROW.replace('""2023"""', '""2023""')}\n${ROW.replace(/"F.*"""/, 'Fête')}\n`, SUB);
  assert.equal(quote.valid, false);
  assert.deepEqual(codes(quote), ['source-error']);
  assert.match(quote.errors[0]!.message, /ligne 3 du fichier n'est jamais refermé/);
  const s = schema([{ name: 'a' }, { name: 'b', constraints: { required: true } }]);
  const ragged = await validateCsv('a,b,\n1,2,3\n1\n\n,\n1,2,3,4\n', s);
  assert.deepEqual(
    ragged.errors.map((e) => [e.code, e.row, e.column]),
    [
      ['blank-label', 1, 3],
      ['missing-cell', 3, 2],
      ['blank-row', 4, null],
      ['blank-row', 5, null],
      ['extra-cell', 6, 4],
    ],
  );
  assert.equal(ragged.errors[0]!.message, "La colonne n°3 n'a pas d'entête.");
  assert.equal(ragged.errors[2]!.message, 'Les lignes vides doivent être retirées de la table.');
  assert.equal(ragged.errors[4]!.message, 'Le nombre de cellules de cette ligne excède le nombre de colonnes défini dans le schéma.');
});

test('a schema that is not a usable Table Schema is refused with the problem named', () => {
  const bad: Array<[unknown, RegExp]> = [
    ['nope', /JSON object/],
    [{ fields: [] }, /non-empty "fields"/],
    [{ fields: [{ type: 'string' }] }, /field 1 has no name/],
    [{ fields: [{ name: 'a' }, { name: 'a' }] }, /defined twice/],
    [{ fields: [{ name: 'a', type: 'text' }] }, /unknown type "text"/],
    [{ fields: [{ name: 'a', constraints: { pattern: '(a' } }] }, /not a valid regular expression/],
    [{ fields: [{ name: 'a', constraints: { pattern: '(a)\\1' } }] }, /back-reference/],
    [{ fields: [{ name: 'a', constraints: { maxLenght: 3 } }] }, /unknown constraint "maxLenght"/],
    [{ fields: [{ name: 'a', type: 'integer', constraints: { minimum: 'x' } }] }, /minimum "x" is not a integer/],
    [{ fields: [{ name: 'a', type: 'date', format: '%d/%Q' }] }, /unsupported date directive %Q/],
    [{ fields: [{ name: 'a' }], primaryKey: 'b' }, /primaryKey" names "b"/],
    [{ fields: [{ name: 'a' }], missingValues: [0] }, /missingValues/],
    [
      { fields: [{ name: 'a' }], custom_checks: [{ name: 'compare-columns-value', params: { column: 'a', column2: 'b', op: '!=' } }] },
      /L'opérateur '!=' n'est pas géré/,
    ],
    [{ fields: [{ name: 'a' }], custom_checks: [{ name: 'sum-columns-value', params: { column: 'a', columns: ['b'] } }] }, /at least 2/],
  ];
  for (const [descriptor, message] of bad)
    assert.throws(
      () => compileSchema(descriptor),
      (e: unknown) => e instanceof SchemaError && message.test(e.message),
      JSON.stringify(descriptor),
    );
  assert.throws(() => loadBundledSchema('scdl-nope'), /unknown schema "scdl-nope" \(bundled schemas: [a-z, -]*etalab-catalogue-donnees, /);
});

test('types: number, integer, boolean, dates, year, yearmonth, duration, geopoint, string formats, JSON', async () => {
  const s = schema([
    { name: 'n', type: 'number' },
    { name: 'fr', type: 'number', decimalChar: ',', groupChar: ' ' },
    { name: 'i', type: 'integer' },
    { name: 'b', type: 'boolean' },
    { name: 'd', type: 'date' },
    { name: 'dfr', type: 'date', format: '%d/%m/%Y' },
    { name: 't', type: 'time' },
    { name: 'dt', type: 'datetime' },
    { name: 'y', type: 'year' },
    { name: 'ym', type: 'yearmonth' },
    { name: 'du', type: 'duration' },
    { name: 'g', type: 'geopoint' },
    { name: 'e', type: 'string', format: 'email' },
    { name: 'u', type: 'string', format: 'uri' },
    { name: 'id', type: 'string', format: 'uuid' },
    { name: 'arr', type: 'array' },
  ]);
  const header = 'n;fr;i;b;d;dfr;t;dt;y;ym;du;g;e;u;id;arr';
  const good =
    '-1.5e3;1 234,5;123456789012345678901;TRUE;2024-02-29;29/02/2024;23:59:59;2024-01-01T10:00:00Z;2024;2024-12;P1Y2M3DT4H;"2.35, 48.85";a.b@mairie.fr;https://x.fr/a?b=c;123e4567-e89b-12d3-a456-426614174000;"[1, 2]"';
  const ok = await validateCsv(`${header}\n${good}\n`, s);
  assert.deepEqual(ok.errors, []);
  const bad = '1,5;1.234,5;1.0;oui;2023-02-29;2024-02-29;24:00:00;2024-01-01 10:00;24;2024-13;1 jour;"200, 48";a@b;www.x.fr;123;"{}"';
  const r = await validateCsv(`${header}\n${bad}\n`, s);
  assert.deepEqual(
    r.errors.map((e) => e.field),
    ['n', 'fr', 'i', 'b', 'd', 'dfr', 't', 'dt', 'y', 'ym', 'du', 'g', 'e', 'u', 'id', 'arr'],
  );
  assert.ok(r.errors.every((e) => e.code === 'type-error'));
  const m = Object.fromEntries(r.errors.map((e) => [e.field, e.message]));
  assert.equal(m.n, 'Le séparateur décimal à utiliser est le point («\u00a01.5\u00a0»).');
  assert.equal(m.i, 'La valeur doit être un nombre entier.');
  assert.equal(m.b, 'Les valeurs acceptées sont `true` (vrai) et `false` (faux).');
  assert.equal(m.d, 'La date doit être écrite sous la forme `aaaa-mm-jj`.');
  assert.equal(m.dfr, 'La date doit être écrite sous la forme `jj/mm/aaaa`.');
  assert.equal(m.y, "L'année doit être composée de 4 chiffres.");
  assert.equal(m.e, 'La valeur doit être une adresse email.');
  assert.equal(m.u, 'La valeur doit être une adresse de site ou de page internet (URL).');
  assert.equal(m.id, 'La valeur doit être un UUID.');
});

test('constraints: required, lengths in characters, minimum and maximum, pattern through RE2, enum, missingValues', async () => {
  const s = schema(
    [
      {
        name: 'code',
        constraints: { required: true, pattern: '[A-Z]{2}\\d{3}', minLength: 5, maxLength: 5 },
        description: 'Deux lettres et trois chiffres.',
        example: 'AB123',
      },
      { name: 'taux', type: 'number', constraints: { minimum: 0, maximum: 1 } },
      { name: 'jour', type: 'date', constraints: { minimum: '2020-01-01' } },
      { name: 'etat', constraints: { enum: ['ouvert'] } },
      { name: 'nom', constraints: { pattern: '[a-zA-Z\\u00C0-\\u00FF ]+' } },
    ],
    { missingValues: ['', 'NA'] },
  );
  const r = await validateCsv('code,taux,jour,etat,nom\nNA,1.5,2019-12-31,fermé,Éloïse\nab12345,-0.1,2020-01-01,ouvert,Zoé\n😀😀😀😀😀,0,,,\n', s);
  assert.deepEqual(
    r.errors.map((e) => [e.row, e.field, e.constraint]),
    [
      [2, 'code', 'required'],
      [2, 'taux', 'maximum'],
      [2, 'jour', 'minimum'],
      [2, 'etat', 'enum'],
      [3, 'code', 'maxLength'],
      [3, 'code', 'pattern'],
      [3, 'taux', 'minimum'],
      [4, 'code', 'pattern'],
    ],
  );
  const m = r.errors.map((e) => e.message);
  assert.deepEqual(m.slice(0, 4), [
    'Une valeur doit être renseignée.',
    'La valeur attendue doit être au plus égale à 1.',
    'La valeur attendue doit être au moins égale à 2020-01-01.',
    "L'unique valeur autorisée est : ouvert.",
  ]);
  assert.equal(m[4], 'Le texte attendu ne doit pas comporter plus de 5 caractère(s) (au lieu de 7 actuellement).');
  assert.equal(m[5], 'Deux lettres et trois chiffres.\n\n## Exemple(s) valide(s)\nAB123');
  assert.equal(r.errors[0]!.title, 'Cellule vide');
});

test('unique columns and primary keys name the row of the first occurrence', async () => {
  const s = schema([{ name: 'id', type: 'integer' }, { name: 'code', constraints: { unique: true } }, { name: 'x' }], { primaryKey: ['id', 'x'] });
  const r = await validateCsv('id,code,x\n1,a,p\n2,b,p\n1,c,p\n3,a,\n', s);
  assert.deepEqual(
    r.errors.map((e) => [e.code, e.row, e.field]),
    [
      ['primary-key', 4, null],
      ['unique-error', 5, 'code'],
      ['constraint-error', 5, 'x'],
    ],
  );
  assert.equal(r.errors[0]!.message, 'La clé primaire (id, x) de cette ligne est déjà celle de la ligne 2.');
  assert.equal(r.errors[1]!.message, 'Toutes les valeurs de cette colonne doivent être uniques : cette valeur figure déjà ligne 2.');
});

test('the unique tables are bounded: past their capacity the check stops with a warning', async () => {
  const set = new BoundedHashSet(3);
  assert.deepEqual([set.add('a', 1), set.add('b', 2), set.add('a', 3), set.add('c', 4), set.add('d', 5), set.full], [0, 0, 1, 0, 0, true]);
  for (let i = 0; i < 5000; i++) assert.equal(new BoundedHashSet().add(`v${i}`, 1), 0);
  const big = new BoundedHashSet();
  for (let i = 1; i <= 100000; i++) assert.equal(big.add(`valeur ${i}`, i), 0);
  assert.equal(big.add('valeur 77777', 100001), 77777);
  assert.notDeepEqual(hash64('ab'), hash64('ba'));
  const s = schema([{ name: 'id', constraints: { unique: true } }]);
  const r = await validateCsv(`id\n${Array.from({ length: 10 }, (_, i) => i).join('\n')}\n9\n`, s, { uniqueCapacity: 5 });
  assert.equal(r.valid, true);
  assert.equal(r.warnings[0]!.code, 'unique-capacity-warn');
});

test('SIRET and SIREN as python-stdnum checks them (Luhn; La Poste by the sum of its digits)', () => {
  assert.equal(isSiret('21440109300015'), true);
  assert.equal(isSiret('214 401 093 00015'), true);
  assert.equal(isSiret('21440109300016'), false);
  assert.equal(isSiret('52499120500'), false);
  assert.equal(isSiret('35600000049837'), true);
  assert.equal(isSiret('35600000049838'), false);
  assert.equal(isSiren('214401093'), true);
  assert.equal(isSiren('214401094'), false);
});

test("the custom checks of the délibérations schema, with Validata's messages", async () => {
  const delib = loadBundledSchema('scdl-deliberations');
  const header =
    'COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,BUDGET_ANNEE,BUDGET_NOM,PREF_ID,PREF_DATE,VOTE_EFFECTIF,VOTE_REEL,VOTE_POUR,VOTE_CONTRE,VOTE_ABSTENTION,DELIB_URL';
  const row = (o: Record<string, string>) => {
    const base: Record<string, string> = {
      COLL_NOM: 'Nantes',
      COLL_SIRET: '21440109300015',
      DELIB_ID: 'D1',
      DELIB_DATE: '2023-01-10',
      DELIB_MATIERE_CODE: '7.1',
      DELIB_MATIERE_NOM: 'Finances locales/Décisions budgétaires',
      DELIB_OBJET: 'Budget',
      BUDGET_ANNEE: '2023',
      BUDGET_NOM: 'Budget principal',
      PREF_ID: 'P1',
      PREF_DATE: '2023-01-12',
      VOTE_EFFECTIF: '10',
      VOTE_REEL: '9',
      VOTE_POUR: '5',
      VOTE_CONTRE: '3',
      VOTE_ABSTENTION: '1',
      DELIB_URL: 'https://x.fr/d1.pdf',
    };
    return header
      .split(',')
      .map((h) => o[h] ?? base[h])
      .join(',');
  };
  const valid = await validateCsv(`${header}\n${row({})}\n`, delib);
  assert.deepEqual(valid.errors, []);
  const r = await validateCsv(
    `${header}\n${[
      row({ PREF_DATE: '2023-01-09' }),
      row({ VOTE_POUR: '4' }),
      row({ BUDGET_NOM: '' }),
      row({ BUDGET_ANNEE: '2023/2021', BUDGET_NOM: 'x' }),
      row({ DELIB_MATIERE_NOM: 'Finances locales / Décisions' }),
      row({ DELIB_MATIERE_NOM: 'Voirie/Travaux' }),
      row({ DELIB_MATIERE_NOM: 'Urbanisme' }),
      row({ VOTE_EFFECTIF: '8' }),
    ].join('\n')}\n`,
    delib,
  );
  assert.deepEqual(
    r.errors.map((e) => [e.row, e.code]),
    [
      [2, 'compare-columns-value'],
      [3, 'sum-columns-value'],
      [4, 'cohesive-columns-value'],
      [5, 'year-interval-value'],
      [6, 'nomenclature-actes-value'],
      [7, 'nomenclature-actes-value'],
      [8, 'nomenclature-actes-value'],
      [9, 'compare-columns-value'],
    ],
  );
  const m = r.errors.map((e) => e.message);
  assert.equal(m[0], 'La valeur de la colonne PREF_DATE `2023-01-09` devrait être supérieure ou égale à la valeur de la colonne DELIB_DATE `2023-01-10`.');
  assert.equal(
    m[1],
    "La somme de colonne ne peut être calculée (la somme des valeurs des colonnes 'VOTE_POUR (4), VOTE_CONTRE (3), VOTE_ABSTENTION (1)' est `8`, ce nombre est différent de celui trouvé dans la colonne 'VOTE_REEL' (`9`)).",
  );
  assert.equal(m[2], 'incohérence relevée (Les colonnes BUDGET_ANNEE, BUDGET_NOM doivent toutes comporter une valeur ou toutes être vides).');
  assert.equal(m[3], "L'année ou l'intervalle d'année '2023/2021' est incorrect (la deuxième année (2021) doit être postérieure à la première (2023)).");
  assert.equal(
    m[4],
    "La valeur 'Finances locales / Décisions' ne respecte pas le format des nomenclatures d'actes (Le signe oblique ne doit pas être précédé ni suivi d'espace)",
  );
  assert.equal(
    m[5],
    "La valeur 'Voirie/Travaux' ne respecte pas le format des nomenclatures d'actes (le préfixe de nomenclature Actes 'Voirie' n'est pas reconnu)",
  );
  assert.equal(m[6], "La valeur 'Urbanisme' ne respecte pas le format des nomenclatures d'actes (le signe oblique « / » est manquant)");
  // A file that has only some columns of a multi-column check: Validata's check error.
  const partial = await validateCsv(
    'COLL_NOM,COLL_SIRET,DELIB_ID,DELIB_DATE,DELIB_MATIERE_CODE,DELIB_MATIERE_NOM,DELIB_OBJET,VOTE_REEL\nN,21440109300015,D,2023-01-10,7.1,Urbanisme/PLU,O,3\n',
    delib,
  );
  assert.ok(
    partial.errors.some((e) => e.code === 'check-error' && e.message === "'sum-columns-value': la colonne VOTE_POUR n'est pas trouvée"),
    JSON.stringify(partial.errors),
  );
});

test('french-gps-coordinates: outside France, and latitude and longitude swapped', async () => {
  const s = schema([{ name: 'p', type: 'geopoint' }], {
    custom_checks: [
      { name: 'french-gps-coordinates', params: { column: 'p' } },
      { name: 'opening-hours-value', params: { column: 'p' } },
    ],
  });
  const r = await validateCsv('p\n"-1.55, 47.21"\n"47.21, -1.55"\n"13.4, 52.5"\n"55.45, -21.1"\n', s);
  assert.deepEqual(
    r.errors.map((e) => [e.row, e.code]),
    [
      [3, 'reversed-french-gps-coordinates'],
      [4, 'french-gps-coordinates'],
    ],
  );
  assert.equal(r.errors[0]!.message, 'La valeur 47.21, -1.55 correspond à des coordonnées GPS françaises inversées.');
  assert.deepEqual(
    r.warnings.map((w) => w.message),
    ["'opening-hours-value': custom check inconnu ; cette vérification du schéma n'a pas été faite."],
  );
});

test('columns are matched by name: order, extra and missing optional columns are warnings; case gets a hint', async () => {
  const s = schema([{ name: 'a', constraints: { required: true } }, { name: 'b' }, { name: 'c' }]);
  const reordered = await validateCsv('c,a,b\n1,2,3\n', s);
  assert.deepEqual(
    [reordered.valid, reordered.warnings.map((w) => w.message)],
    [true, ["Réordonnez les colonnes du fichier pour respecter le schéma : ['a', 'b', 'c']."]],
  );
  const r = await validateCsv('A,b,z\n1,2,3\n', s);
  assert.deepEqual(codes(r), ['missing-label']);
  assert.deepEqual(
    r.warnings.map((w) => w.code),
    ['missing-header-warn', 'extra-header-warn', 'extra-header-warn', 'header-case-warn'],
  );
});

test('English messages through the locale', async () => {
  const r = await validateCsv(`${HEADER}\n${ROW.replace('1500.50', '"1500,50"').replace('52499120500013', '52499120500')}\n`, SUB, { locale: 'en' });
  assert.deepEqual(
    r.errors.map((e) => e.message),
    ['The decimal separator is the point (“1500.50”).', 'The value 52499120500 is not a valid French SIRET number.'],
  );
  assert.deepEqual(
    r.errors.map((e) => e.title),
    ['Invalid number', 'Invalid SIRET number'],
  );
});
