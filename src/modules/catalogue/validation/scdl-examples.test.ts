// Validata's verdicts on its own files: the 11 fixtures of validata-table's functional test (verdict, code
// and message fragment from expected.csv; Validata reports exactly one error on each invalid one), and every
// example file shipped with the SCDL and Etalab schemas (a copy of ../shared/data/scdl in test/fixtures/scdl), valid ones valid, invalid
// ones invalid, each against the bundled schema of its folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { parse } from 'csv-parse/sync';
import { loadBundledSchema, validateCsv } from './index.ts';

export const SCDL = join(import.meta.dirname, '..', '..', '..', '..', 'test', 'fixtures', 'scdl');
const FIXTURES = join(SCDL, 'scdl-subventions', 'validata-fixtures');

interface Expected {
  file: string;
  expected_valid: string;
  expected_error_code: string;
  expected_message_fragment: string;
  case: string;
}
const expected = parse(readFileSync(join(FIXTURES, 'expected.csv')), { columns: true }) as Expected[];

test('expected.csv lists the 11 Validata fixtures', () => {
  assert.equal(expected.length, 11);
  assert.deepEqual(
    expected.map((e) => e.file).sort(),
    readdirSync(FIXTURES)
      .filter((f) => f.startsWith('exemple'))
      .sort(),
  );
});

for (const e of expected) {
  test(`Validata fixture ${e.file}: ${e.case}`, async () => {
    const report = await validateCsv(readFileSync(join(FIXTURES, e.file)), loadBundledSchema('scdl-subventions'));
    assert.equal(report.valid, e.expected_valid === 'true', JSON.stringify(report.errors));
    if (e.expected_valid === 'true') {
      assert.equal(report.errors.length, 0);
      return;
    }
    assert.equal(report.errors.length, 1, JSON.stringify(report.errors));
    const [error] = report.errors;
    assert.equal(error!.code, e.expected_error_code);
    assert.ok(
      error!.message.includes(e.expected_message_fragment),
      `${JSON.stringify(error!.message)} should hold ${JSON.stringify(e.expected_message_fragment)}`,
    );
  });
}

function exampleFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return exampleFiles(path);
    return /^exemple.*valide.*\.csv$/.test(d.name) ? [path] : [];
  });
}

const examples = exampleFiles(SCDL);

test('the example files are found', () => {
  // 7 examples beside the schemas, 11 Validata fixtures.
  assert.equal(examples.length, 18, examples.join('\n'));
});

for (const path of examples) {
  const rel = relative(SCDL, path);
  const invalid = /invalide/.test(basename(path));
  test(`example ${rel} is ${invalid ? 'invalid' : 'valid'}`, async () => {
    const folder = relative(SCDL, path).split('/')[0]!;
    const report = await validateCsv(readFileSync(path), loadBundledSchema(folder));
    assert.equal(report.valid, !invalid, JSON.stringify(report.errors.slice(0, 5)));
    if (invalid) assert.ok(report.errors.length > 0);
    assert.equal(dirname(path).includes(folder), true);
  });
}

test('the subventions example with column errors: the renamed required column, then the cell errors', async () => {
  const report = await validateCsv(
    readFileSync(join(SCDL, 'scdl-subventions', 'exemple_invalide_erreurs_colonnes.csv')),
    loadBundledSchema('scdl-subventions'),
  );
  assert.deepEqual(report.errors[0], {
    code: 'missing-label',
    row: 1,
    field: 'nomBeneficiaire',
    column: null,
    value: null,
    title: 'Colonne obligatoire manquante',
    message: 'La colonne obligatoire `nomBeneficiaire` est manquante.',
  });
  assert.ok(report.warnings.some((w) => w.code === 'extra-header-warn' && w.message === 'Retirez la colonne `NOM_Beneficiaire` non définie dans le schéma.'));
  const french = report.errors.find((e) => e.code === 'type-error' && e.field === 'dateConvention');
  assert.equal(french?.message, "La forme attendue est '2016-12-05'.");
  assert.equal(french?.value, '05/12/2016');
  const comma = report.errors.find((e) => e.code === 'type-error' && e.field === 'montant');
  assert.equal(comma?.message, 'Le séparateur décimal à utiliser est le point («\u00a0100000.10\u00a0»).');
  const bool = report.errors.find((e) => e.code === 'type-error' && e.field === 'notificationUE');
  assert.equal(bool?.message, 'Les valeurs acceptées sont `oui` (vrai) et `non` (faux).');
  const enumError = report.errors.find((e) => e.constraint === 'enum');
  assert.match(enumError!.message, /^Les seules valeurs autorisées sont :\n- aide en numéraire\n/);
});

test('the duplicate-column example: Windows-1252 read with a warning, the duplicated column an error', async () => {
  const report = await validateCsv(readFileSync(join(SCDL, 'scdl-subventions', 'exemple-duplicate-column.csv')), loadBundledSchema('scdl-subventions'));
  assert.equal(report.valid, false);
  assert.equal(report.stats.encoding, 'windows-1252');
  assert.ok(report.warnings.some((w) => w.code === 'encoding-warn'));
  assert.deepEqual(
    report.errors.map((e) => [e.code, e.field, e.column]),
    [['duplicate-label', 'notificationUE', 14]],
  );
});

test('the arbres example is read with its semicolons and CRLF line ends', async () => {
  const report = await validateCsv(readFileSync(join(SCDL, 'naturalsolutions-arbre', 'exemple-valide.csv')), loadBundledSchema('naturalsolutions-arbre'));
  assert.equal(report.stats.delimiter, ';');
  assert.equal(report.stats.rows, 4);
  assert.equal(report.valid, true);
});
