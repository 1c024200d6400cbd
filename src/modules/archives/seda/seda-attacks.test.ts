// Hostile SEDA packages (issue 13, Bad input): each is refused whole with a clear reason, in French and in
// English, and nothing is left in the caller's directory. Written before the checks they prove.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSip, sedaMessage, SedaError, validateSedaXml, type SedaIssue, type SipLimits } from './index.ts';
import { fixture, packExample } from '../../../../test/support/archives/seda.ts';
import { rawZip, zipOf, type RawEntry } from '../../../../test/support/archives/zips.ts';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'seda-attacks-'));
});
after(() => rm(work, { recursive: true, force: true }));

const SIMPLE = 'vitam-cookbook-signinginformation-1-cas-simple-manifest.xml';
let n = 0;

/** Reads the package and returns the issues it was refused with; asserts the caller's directory stayed empty. */
async function refusal(zip: Buffer, limits?: Partial<SipLimits>): Promise<SedaIssue[]> {
  const path = join(work, `p${++n}.zip`);
  await writeFile(path, zip);
  const out = await mkdtemp(join(work, 'out-'));
  let issues: SedaIssue[] | undefined;
  try {
    await readSip(path, { workDir: out, ...(limits ? { limits } : {}) });
  } catch (error) {
    assert.ok(error instanceof SedaError, String(error));
    issues = error.issues;
  }
  assert.ok(issues, 'the package was accepted');
  assert.deepEqual(await readdir(out), [], 'something was left in the work directory');
  for (const i of issues) {
    assert.doesNotMatch(sedaMessage('fr', i), /\{\w+\}|^archives\./, 'French message incomplete');
    assert.doesNotMatch(sedaMessage('en', i), /\{\w+\}|^archives\./, 'English message incomplete');
  }
  return issues;
}

const keys = (issues: SedaIssue[]) => issues.map((i) => i.key);

/** The simple example's manifest and object, as raw entries that a test can make hostile. */
function simpleEntries(): { manifest: string; uri: string; object: Buffer; entries: RawEntry[] } {
  const { manifest, files } = packExample(fixture(SIMPLE));
  const [uri, object] = Object.entries(files)[0]!;
  return { manifest, uri, object, entries: [{ name: 'manifest.xml', data: Buffer.from(manifest) }] };
}

test('the unchanged packages of this file are accepted (the refusals below come from the attack, not the helpers)', async () => {
  const { object, uri, entries } = simpleEntries();
  const path = join(work, 'ok.zip');
  await writeFile(path, rawZip([...entries, { name: uri, data: object, deflate: true }]));
  const result = await readSip(path, { workDir: await mkdtemp(join(work, 'out-')) });
  assert.equal(result.objects.length, 1);
});

test('zip bomb: a file inflating far beyond its compressed size is refused from the directory, before inflating', async () => {
  const { object, uri, entries } = simpleEntries();
  const bomb = Buffer.alloc(50 * 1024 * 1024); // 50 MiB of zeros deflate to about 50 KiB
  const issues = await refusal(rawZip([...entries, { name: uri, data: object }, { name: 'content/zeros.bin', data: bomb, deflate: true }]));
  assert.deepEqual(keys(issues), ['archives.seda.zip.ratio']);
  assert.match(sedaMessage('fr', issues[0]!), /« content\/zeros\.bin » se décompresse \d+ fois plus gros/);
});

test('zip bomb with lying sizes: the directory declares a few bytes, the stream is stopped while inflating', async () => {
  const { manifest, uri } = simpleEntries();
  const bomb = Buffer.alloc(20 * 1024 * 1024);
  // The manifest lists the bomb as the object, with the size the zip claims: only the inflating catches it.
  const lying = manifest
    .replace(/<Size>\d+<\/Size>/, '<Size>64</Size>')
    .replace(/(<MessageDigest algorithm="SHA-512">)[^<]*/, `$1${createHash('sha512').update(bomb.subarray(0, 64)).digest('hex')}`);
  const issues = await refusal(
    rawZip([
      { name: 'manifest.xml', data: Buffer.from(lying) },
      { name: uri, data: bomb, deflate: true, declaredSize: 64 },
    ]),
    {
      maxRatio: 1_000_000,
    },
  );
  assert.deepEqual(keys(issues), ['archives.seda.zip.size_mismatch']);
});

test('zip bomb by volume: the total inflated size is capped', async () => {
  const { object, uri, entries } = simpleEntries();
  const issues = await refusal(rawZip([...entries, { name: uri, data: object }]), { maxTotalBytes: 1000 });
  assert.deepEqual(keys(issues), ['archives.seda.zip.too_large']);
});

test('too many entries are refused before any is read', async () => {
  const { object, uri, entries } = simpleEntries();
  const issues = await refusal(rawZip([...entries, { name: uri, data: object }]), { maxEntries: 1 });
  assert.deepEqual(keys(issues), ['archives.seda.zip.too_many_entries']);
});

for (const name of ['../evil.txt', 'content/../../evil.txt', '/etc/evil', 'C:/evil.txt', 'content\\..\\evil.txt', 'content//x', './x']) {
  test(`a path escaping the package is refused: ${JSON.stringify(name)}`, async () => {
    const { object, uri, entries } = simpleEntries();
    const issues = await refusal(rawZip([...entries, { name: uri, data: object }, { name, data: Buffer.from('x') }]));
    assert.deepEqual(keys(issues), ['archives.seda.zip.unsafe_path']);
    assert.equal(issues[0]!.params.name, name);
  });
}

test('a manifest Uri escaping the package is refused, even when no entry has that name', async () => {
  const { manifest, object, uri } = simpleEntries();
  const issues = await refusal(
    rawZip([
      { name: 'manifest.xml', data: Buffer.from(manifest.replace(uri, '../../etc/passwd')) },
      { name: uri, data: object },
    ]),
  );
  assert.deepEqual(keys(issues), ['archives.seda.object.unsafe_uri', 'archives.seda.object.extra']);
});

test('symlinks, encrypted entries and duplicate names are refused', async () => {
  const { object, uri, entries } = simpleEntries();
  const symlink = await refusal(
    rawZip([...entries, { name: uri, data: object }, { name: 'content/link', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }]),
  );
  assert.deepEqual(keys(symlink), ['archives.seda.zip.symlink']);
  const encrypted = await refusal(rawZip([...entries, { name: uri, data: object, flags: 1 }]));
  assert.deepEqual(keys(encrypted), ['archives.seda.zip.encrypted']);
  const duplicate = await refusal(rawZip([...entries, { name: uri, data: object }, { name: uri, data: Buffer.from('other') }]));
  assert.deepEqual(keys(duplicate), ['archives.seda.zip.duplicate']);
  const caseOnly = await refusal(rawZip([...entries, { name: uri, data: object }, { name: uri.toUpperCase(), data: Buffer.from('other') }]));
  assert.deepEqual(keys(caseOnly), ['archives.seda.zip.duplicate']);
});

test('not a zip, and a zip without a manifest, are refused', async () => {
  assert.deepEqual(keys(await refusal(Buffer.from('PK\u0003\u0004 not really a zip'))), ['archives.seda.zip.unreadable']);
  assert.deepEqual(keys(await refusal(await zipOf({ 'content/a.pdf': 'x' }))), ['archives.seda.manifest.missing']);
});

test('a manifest that does not validate is refused with the line and the schema’s message', async () => {
  const { manifest, object, uri } = simpleEntries();
  const broken = manifest.replace(/<MessageIdentifier>.*<\/MessageIdentifier>/, '');
  const issues = await refusal(await zipOf({ 'manifest.xml': broken, [uri]: object }));
  assert.deepEqual(keys(issues), ['archives.seda.xml.invalid']);
  // The schema notices the gap at the next element (line 8, ArchivalAgreement), and names what it expected.
  assert.equal(issues[0]!.params.line, 8);
  assert.match(sedaMessage('fr', issues[0]!), /non conforme aux schémas SEDA 2\.3, ligne 8 : .*MessageIdentifier/);
  const malformed = await refusal(await zipOf({ 'manifest.xml': manifest.replace('</Title>', '</Titre>'), [uri]: object }));
  assert.deepEqual(keys(malformed), ['archives.seda.xml.malformed']);
  assert.ok(Number(malformed[0]!.params.line) > 1);
  const other = await refusal(await zipOf({ 'manifest.xml': '<?xml version="1.0"?><ArchiveTransfer xmlns="urn:other"/>', [uri]: object }));
  assert.deepEqual(keys(other), ['archives.seda.xml.root']);
});

test('a digest that does not match, a wrong size, an object listed but missing, a file not listed: all reported together', async () => {
  const { manifest, object, uri } = simpleEntries();
  const altered = Buffer.from(object);
  altered[0] = altered[0]! ^ 0xff;
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': manifest, [uri]: altered }))), ['archives.seda.object.digest']);
  const longer = Buffer.concat([object, Buffer.from('!')]);
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': manifest, [uri]: longer }))), ['archives.seda.object.size', 'archives.seda.object.digest']);
  const missing = await refusal(await zipOf({ 'manifest.xml': manifest, 'content/other.pdf': object }));
  assert.deepEqual(keys(missing), ['archives.seda.object.missing', 'archives.seda.object.extra']);
  assert.match(sedaMessage('fr', missing[0]!), /L’objet ID11 est annoncé \(« content\/ID11\.pdf »\) mais absent du paquet/);
  assert.match(sedaMessage('en', missing[1]!), /"content\/other\.pdf" is in the package but the manifest does not describe it/);
});

test('a SHA-256 digest is checked as declared; an unknown algorithm is refused', async () => {
  const { manifest, object, uri } = simpleEntries();
  const sha256 = manifest.replace(
    /<MessageDigest algorithm="SHA-512">[^<]*/,
    `<MessageDigest algorithm="SHA-256">${createHash('sha256').update(object).digest('hex')}`,
  );
  const path = join(work, 'sha256.zip');
  await writeFile(path, await zipOf({ 'manifest.xml': sha256, [uri]: object }));
  const ok = await readSip(path, { workDir: await mkdtemp(join(work, 'out-')) });
  assert.equal(ok.objects[0]!.object.digest.algorithm, 'SHA-256');
  assert.equal(ok.objects[0]!.sha512, createHash('sha512').update(object).digest('hex'));
  const wrong256 = manifest.replace(/<MessageDigest algorithm="SHA-512">[^<]*/, `<MessageDigest algorithm="SHA-256">${'0'.repeat(64)}`);
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': wrong256, [uri]: object }))), ['archives.seda.object.digest']);
  const whirlpool = manifest.replace('algorithm="SHA-512"', 'algorithm="WHIRLPOOL"');
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': whirlpool, [uri]: object }))), ['archives.seda.object.algorithm']);
});

test('XXE: an external entity is refused before parsing, even in an otherwise valid manifest', async () => {
  const { manifest, object, uri } = simpleEntries();
  const xxe = manifest
    .replace('<ArchiveTransfer', '<!DOCTYPE ArchiveTransfer [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<ArchiveTransfer')
    .replace('<Title>Document</Title>', '<Title>&xxe;</Title>');
  const issues = await refusal(await zipOf({ 'manifest.xml': xxe, [uri]: object }));
  assert.deepEqual(keys(issues), ['archives.seda.xml.dtd']);
  assert.match(sedaMessage('en', issues[0]!), /XML external entity/);
  // An external DTD and a parameter entity, too, and after comments and processing instructions.
  const dtd = manifest.replace('<ArchiveTransfer', '<!-- c --><?pi x?>\n<!DOCTYPE ArchiveTransfer SYSTEM "http://attacker.example/x.dtd">\n<ArchiveTransfer');
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': dtd, [uri]: object }))), ['archives.seda.xml.dtd']);
});

test('billion laughs: nested internal entities are refused before any expansion', async () => {
  const { manifest, object, uri } = simpleEntries();
  let entities = '<!ENTITY l0 "ha">';
  for (let i = 1; i <= 9; i++) entities += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
  const laughs = manifest
    .replace('<ArchiveTransfer', `<!DOCTYPE ArchiveTransfer [${entities}]>\n<ArchiveTransfer`)
    .replace('<Title>Document</Title>', '<Title>&l9;</Title>');
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': laughs, [uri]: object }))), ['archives.seda.xml.dtd']);
});

test('an entity reference without a DTD is a well-formedness error, and schema hints are never fetched', () => {
  const manifest = fixture(SIMPLE);
  assert.deepEqual(
    validateSedaXml(Buffer.from(manifest.replace('<Title>Document</Title>', '<Title>&xxe;</Title>'))).map((i) => i.key),
    ['archives.seda.xml.malformed'],
  );
  // xsi:schemaLocation pointing at a file or a URL changes nothing: the shipped XSDs are the only ones read.
  const hinted = manifest.replace('seda-2.3-main.xsd"', 'file:///etc/passwd http://attacker.example/x.xsd"');
  assert.deepEqual(validateSedaXml(Buffer.from(hinted)), []);
});

test('a manifest in another encoding than UTF-8 is refused', () => {
  const latin1 = fixture(SIMPLE).replace("encoding='UTF-8'", "encoding='ISO-8859-1'");
  assert.deepEqual(
    validateSedaXml(Buffer.from(latin1, 'latin1')).map((i) => i.key),
    ['archives.seda.xml.encoding'],
  );
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fixture(SIMPLE), 'utf16le')]);
  assert.deepEqual(
    validateSedaXml(utf16).map((i) => i.key),
    ['archives.seda.xml.encoding'],
  );
});

test('a unit referring to an object group that is not in the package is refused', async () => {
  const { manifest, object, uri } = simpleEntries();
  // IDREFs are checked by the XSDs; a reference to an id of another kind (a unit) passes them but not the reader.
  const wrongRef = manifest.replace(
    '<DataObjectGroupReferenceId>ID10</DataObjectGroupReferenceId>',
    '<DataObjectGroupReferenceId>ID12</DataObjectGroupReferenceId>',
  );
  assert.deepEqual(keys(await refusal(await zipOf({ 'manifest.xml': wrongRef, [uri]: object }))), ['archives.seda.ref.unknown']);
});
