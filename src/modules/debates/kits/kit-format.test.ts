// The kit file, attacked first: what is not a kit is refused with its reason, and the shipped 5G kit passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { installMessages, translator } from '../../../core/i18n/i18n.ts';
import { debatesKitsMessages } from './messages-kits.ts';
import { MAX_KIT_BYTES, addDays, parseKit, schedulePhases, totalDays, type Kit } from './kit-format.ts';
import { PRODUCT_KITS } from './product-kits.ts';

installMessages([{ owner: 'test', dictionary: debatesKitsMessages }]);
const t = translator('fr');
const en = translator('en');
const fiveG = readFileSync(new URL('./library/debat-local-5g.json', import.meta.url), 'utf8');
const good = (): Kit => JSON.parse(fiveG) as Kit;
const refused = (input: string | Uint8Array) => {
  const r = parseKit(input, t);
  assert.equal(r.ok, false, 'should be refused');
  return r.ok ? [] : r.errors;
};

test('the 5G kit shipped with the product is a kit', () => {
  const r = parseKit(fiveG, t);
  assert.ok(r.ok, r.ok ? '' : r.errors.join('\n'));
  assert.equal(r.kit.phases.length, 4);
  assert.ok(r.kit.faq.some((f) => f.answer.includes('61 V/m') && f.answer.includes('36 V/m')));
  assert.ok(r.kit.faq.some((f) => f.question.includes('dossier d’information mairie')));
  assert.equal(PRODUCT_KITS[0]!.kit.title, 'Débat local sur le déploiement de la 5G');
});

test('not JSON, not an object, not a kit, another version: refused with the reason', () => {
  assert.match(refused('{"format": ')[0]!, /n’est pas du JSON valide/);
  assert.match(refused('[1,2]')[0]!, /objet JSON/);
  assert.match(refused('{"title":"x"}')[0]!, /« format » doit valoir « bastide-debate-kit »/);
  assert.match(refused(JSON.stringify({ ...good(), formatVersion: 7 }))[0]!, /Version de kit 7 non prise en charge/);
  assert.match(en('debates.kits.format.version', { found: 7, supported: 1 }), /not supported/);
  assert.match(refused(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))[0]!, /UTF-8/);
});

test('a huge file is refused before it is parsed', () => {
  const huge = JSON.stringify({ ...good(), presentation: 'x'.repeat(MAX_KIT_BYTES) });
  assert.match(refused(huge)[0]!, /trop volumineux/);
});

test('HTML or script in any text is refused, with the path', () => {
  const kit = good();
  kit.faq[2]!.answer = 'Voir <script>alert(1)</script>';
  assert.ok(refused(JSON.stringify(kit)).some((e) => e.includes('faq.2.answer') && e.includes('HTML')));
  const kit2 = good();
  kit2.phases[0]!.title = '<img src=x onerror=alert(1)>';
  assert.ok(refused(JSON.stringify(kit2)).some((e) => e.includes('phases.0.title')));
  const kit3 = good();
  kit3.documents[0]!.url = 'javascript:alert(1)';
  assert.ok(refused(JSON.stringify(kit3)).some((e) => e.includes('documents.0.url')));
  const kit4 = good();
  kit4.summary = 'Une exposition < 6 V/m reste fréquente';
  assert.ok(parseKit(JSON.stringify(kit4), t).ok, 'a lone "<" is plain text');
});

test('absurd durations, unknown fields and meetings after the end are refused', () => {
  const neg = good();
  neg.phases[0]!.durationDays = -3;
  assert.ok(refused(JSON.stringify(neg)).some((e) => e.includes('phases.0.durationDays')));
  const long = good();
  for (const p of long.phases) p.durationDays = 365;
  assert.ok(refused(JSON.stringify(long)).some((e) => e.includes('1460 jours')));
  const late = good();
  late.meetings[0]!.day = 500;
  assert.ok(refused(JSON.stringify(late)).some((e) => e.includes('meetings.0.day')));
  assert.ok(refused(JSON.stringify({ ...good(), owner: 'x' })).length > 0);
  const frac = good();
  frac.phases[1]!.durationDays = 2.5;
  assert.ok(refused(JSON.stringify(frac)).some((e) => e.includes('phases.1.durationDays')));
});

test('dates are computed from a start day, across the daylight-saving change', () => {
  const plan = schedulePhases(good(), '2027-03-15');
  assert.deepEqual(
    plan.map((p) => [p.kind, p.startsOn, p.endsOn]),
    [
      ['information', '2027-03-15', '2027-03-28'],
      ['contributions', '2027-03-29', '2027-04-18'],
      ['synthesis', '2027-04-19', '2027-05-02'],
      ['answers', '2027-05-03', '2027-06-01'],
    ],
  );
  assert.equal(totalDays(good()), 79);
  assert.equal(addDays('2028-02-28', 1), '2028-02-29');
});
