// `bastide data validate` and `bastide data schemas` run by the real CLI: the Validata fixtures and the
// example files get their verdicts through it too, exit statuses say valid (0), invalid (1), usage or schema
// error (2), and no database is opened — none is configured that could be, and no data folder appears.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { MAIN, NODE, lines, type CliResult } from './cli.ts';
import { ods, xlsx } from '../support/catalogue/spreadsheets.ts';

const SCDL = join(import.meta.dirname, '..', 'fixtures', 'scdl');
const FIXTURES = join(SCDL, 'scdl-subventions', 'validata-fixtures');
const work = mkdtempSync(join(tmpdir(), 'bastide-data-cli-'));
const dataDir = join(work, 'no-data-folder');

function run(args: string[]): Promise<CliResult> {
  // A data folder that does not exist and a database URL that cannot be reached: a command that opened a
  // database would fail or create the folder.
  const env = { ...process.env, BASTIDE_DATA_DIR: dataDir, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', NODE_ENV: 'test' };
  const child = spawn(NODE, [MAIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test.after(() => {
  assert.equal(existsSync(dataDir), false, 'no command created a data folder');
  rmSync(work, { recursive: true, force: true });
});

interface Expected {
  file: string;
  expected_valid: string;
  expected_error_code: string;
  expected_message_fragment: string;
}

test('the 11 Validata fixtures through the CLI, as JSON', async () => {
  const expected = parse(readFileSync(join(FIXTURES, 'expected.csv')), { columns: true }) as Expected[];
  assert.equal(expected.length, 11);
  await Promise.all(
    expected.map(async (e) => {
      const res = await run(['data', 'validate', join(FIXTURES, e.file), '--schema', 'scdl-subventions', '--format', 'json']);
      const report = JSON.parse(res.stdout) as { valid: boolean; errors: Array<{ code: string; row: number | null; field: string | null; message: string }> };
      assert.equal(report.valid, e.expected_valid === 'true', e.file);
      assert.equal(res.code, report.valid ? 0 : 1, `${e.file}: ${res.stderr}`);
      if (!report.valid) {
        assert.equal(report.errors.length, 1, e.file);
        assert.equal(report.errors[0]!.code, e.expected_error_code);
        assert.ok(report.errors[0]!.message.includes(e.expected_message_fragment), e.file);
        assert.ok('row' in report.errors[0]! && 'field' in report.errors[0]!);
      }
    }),
  );
});

test('the example files beside the schemas through the CLI, in text', async () => {
  const cases: Array<[string, string, number]> = [
    ['scdl-subventions/exemple_valide.csv', 'scdl-subventions', 0],
    ['scdl-subventions/exemple_invalide_erreurs_cellules.csv', 'scdl-subventions', 1],
    ['scdl-subventions/exemple_invalide_erreurs_colonnes.csv', 'scdl-subventions', 1],
    ['etalab-stationnement/exemple-valide.csv', 'etalab-stationnement', 0],
    ['etalab-stationnement/exemple-invalide.csv', 'etalab-stationnement', 1],
    ['naturalsolutions-arbre/exemple-valide.csv', 'naturalsolutions-arbre', 0],
    // A schema given by path.
    ['etalab-catalogue-donnees/exemple-valide.csv', join(SCDL, 'etalab-catalogue-donnees', 'schema.json'), 0],
  ];
  await Promise.all(
    cases.map(async ([file, schema, code]) => {
      const res = await run(['data', 'validate', join(SCDL, file), '--schema', schema]);
      assert.equal(res.code, code, `${file}: ${res.stdout}${res.stderr}`);
      assert.match(lines(res.stdout)[0]!, code ? /: invalide$/ : /: valide$/);
    }),
  );
  const res = await run([
    'data',
    'validate',
    join(SCDL, 'scdl-subventions/exemple_invalide_erreurs_colonnes.csv'),
    '--schema',
    'scdl-subventions',
    '--max-errors',
    '1',
    '--lang',
    'en',
  ]);
  assert.equal(res.code, 1);
  assert.ok(
    res.stdout.includes('  - row 1, column nomBeneficiaire: missing-label — Missing required column. The required column `nomBeneficiaire` is missing.'),
    res.stdout,
  );
  assert.ok(res.stdout.includes('65 more error(s) not shown'), res.stdout);
  assert.equal(res.stderr, '', 'no progress line off a terminal');
});

test('usage and schema errors exit with 2 and one line naming the problem', async () => {
  const csv = join(work, 'a.csv');
  writeFileSync(csv, 'a\n1\n');
  const bad = join(work, 'bad-schema.json');
  writeFileSync(bad, JSON.stringify({ fields: [{ name: 'a', type: 'text' }] }));
  const notJson = join(work, 'not-json.json');
  writeFileSync(notJson, '{ fields: ');
  const cases: Array<[string[], RegExp]> = [
    [['data', 'validate', csv, '--schema', 'nope'], /^bastide: unknown schema "nope" \(bundled schemas: /],
    [['data', 'validate', csv, '--schema', bad], /bad-schema\.json: field "a": unknown type "text"$/],
    [['data', 'validate', csv, '--schema', notJson], /not-json\.json: the schema is not valid JSON/],
    [['data', 'validate', join(work, 'missing.csv'), '--schema', 'scdl-subventions'], /^bastide: cannot read .*missing\.csv$/],
    [['data', 'validate', csv], /required option '--schema/],
    [['data', 'validate', csv, '--schema', 'scdl-subventions', '--format', 'xml'], /--format must be text or json/],
  ];
  for (const [args, message] of cases) {
    const res = await run(args);
    assert.equal(res.code, 2, `${args.join(' ')}: ${res.stderr}`);
    assert.equal(lines(res.stderr).length, 1, res.stderr);
    assert.match(lines(res.stderr)[0]!, message);
    assert.equal(res.stdout, '');
  }
});

test('broken files are reports, not crashes: binary data and an unterminated quote exit 1 with the reason', async () => {
  const binary = join(work, 'tableur.xlsx.csv');
  writeFileSync(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]));
  let res = await run(['data', 'validate', binary, '--schema', 'scdl-subventions', '--format', 'json']);
  assert.equal(res.code, 1);
  assert.deepEqual(
    JSON.parse(res.stdout).errors.map((e: { code: string }) => e.code),
    ['source-error'],
  );
  const quote = join(work, 'quote.csv');
  writeFileSync(quote, 'nomAttribuant,objet\nX,"jamais fermé\nY,Z\n');
  res = await run(['data', 'validate', quote, '--schema', 'scdl-subventions']);
  assert.equal(res.code, 1);
  assert.ok(res.stdout.includes("Le champ entre guillemets qui commence à la ligne 2 du fichier n'est jamais refermé"), res.stdout);
});

test('ragged rows, a Windows-1252 file and spreadsheets: verdicts and named problems through the CLI', async () => {
  const ragged = join(work, 'ragged.csv');
  const valid = readFileSync(join(SCDL, 'scdl-subventions/exemple_valide.csv'), 'utf8').split('\n');
  writeFileSync(ragged, `${valid[0]}\n${valid[1]},en trop\n${valid[2]!.split(',').slice(0, 4).join(',')}\n`);
  let res = await run(['data', 'validate', ragged, '--schema', 'scdl-subventions', '--format', 'json']);
  assert.equal(res.code, 1);
  const codes = JSON.parse(res.stdout).errors.map((e: { code: string; row: number }) => `${e.code}@${e.row}`);
  assert.ok(codes.includes('extra-cell@2') && codes.includes('missing-cell@3'), codes.join(' '));
  res = await run([
    'data',
    'validate',
    join(import.meta.dirname, '..', 'fixtures', 'windows-1252', 'subventions-windows-1252.csv'),
    '--schema',
    'scdl-subventions',
  ]);
  assert.equal(res.code, 0, res.stdout);
  assert.match(res.stdout, /il a été lu comme du Windows-1252/);
  const rows = valid.filter((l) => l.split(',').length === 16).map((l) => l.split(','));
  const bad = rows.map((r, i) => (i === 2 ? r.map((v, j) => (j === 2 ? '07/07/2015' : v)) : r));
  for (const [name, bytes] of [
    ['subventions.xlsx', xlsx(bad)],
    ['subventions.ods', ods(bad)],
  ] as const) {
    const path = join(work, name);
    writeFileSync(path, bytes);
    res = await run(['data', 'validate', path, '--schema', 'scdl-subventions', '--format', 'json']);
    assert.equal(res.code, 1, res.stderr);
    assert.deepEqual(
      JSON.parse(res.stdout).errors.map((e: { code: string; row: number; field: string }) => [e.code, e.row, e.field]),
      [['type-error', 3, 'dateConvention']],
    );
    writeFileSync(path, name.endsWith('.xlsx') ? xlsx(rows) : ods(rows));
    assert.equal((await run(['data', 'validate', path, '--schema', 'scdl-subventions'])).code, 0);
  }
  // Text named .xlsx is not a spreadsheet: the report says so (exit 1), the CLI does not crash.
  const fake = join(work, 'faux.xlsx');
  writeFileSync(fake, 'nomAttribuant\nX\n');
  res = await run(['data', 'validate', fake, '--schema', 'scdl-subventions']);
  assert.equal(res.code, 1);
  assert.match(res.stdout, /n'est pas un tableur XLSX lisible/);
});

test('data schemas lists the bundled schemas', async () => {
  const res = await run(['data', 'schemas']);
  assert.equal(res.code, 0, res.stderr);
  const rows = lines(res.stdout).map((l) => l.split('\t'));
  assert.deepEqual(
    rows.map((r) => r[0]),
    [
      'bastide-statistiques-demarches',
      'etalab-catalogue-donnees',
      'etalab-stationnement',
      'naturalsolutions-arbre',
      'scdl-budget',
      'scdl-catalogue',
      'scdl-deliberations',
      'scdl-equipements',
      'scdl-subventions',
    ],
  );
  assert.deepEqual(rows.at(-1), ['scdl-subventions', 'Subventions', '2.1.1', '16 fields', 'french-siret-value,one-of-required']);
  const json = await run(['data', 'schemas', '--format', 'json']);
  assert.equal(JSON.parse(json.stdout).length, 9);
});
