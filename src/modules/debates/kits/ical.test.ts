// RFC 5545: escaping of TEXT values, folding at 75 octets without splitting a character, UTC times, CRLF.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calendar, escapeText, foldLine, utcStamp } from './ical.ts';

test('texts are escaped: backslash, semicolon, comma, newlines; control characters dropped', () => {
  assert.equal(escapeText('a\\b;c,d\r\ne\nf\u0007'), 'a\\\\b\\;c\\,d\\ne\\nf');
});

test('a property cannot be injected through a title', () => {
  const ics = calendar('x', [
    { uid: 'm1@bastide', title: 'Réunion\r\nATTENDEE:mailto:evil@example.org', startsAt: new Date(0), endsAt: new Date(1), updatedAt: new Date(0) },
  ]);
  assert.ok(!/\r\nATTENDEE/.test(ics));
  assert.match(ics, /SUMMARY:Réunion\\nATTENDEE:mailto:evil@example.org/);
});

test('lines are folded at 75 octets, never inside a UTF-8 character, and unfold to the original', () => {
  const line = 'DESCRIPTION:' + 'é'.repeat(100) + '€'.repeat(30);
  const folded = foldLine(line);
  for (const physical of folded.split('\r\n')) assert.ok(Buffer.byteLength(physical) <= 75, physical);
  assert.equal(folded.replace(/\r\n /g, ''), line);
  assert.equal(foldLine('SHORT:x'), 'SHORT:x');
});

test('times are UTC; the calendar ends lines with CRLF and has one event per meeting', () => {
  assert.equal(utcStamp(new Date('2027-03-20T17:30:00Z')), '20270320T173000Z');
  const ics = calendar('Débat 5G', [
    {
      uid: 'a@x',
      title: 'Réunion publique',
      location: 'Salle 1, Nantes',
      startsAt: new Date('2027-03-20T17:30:00Z'),
      endsAt: new Date('2027-03-20T20:00:00Z'),
      updatedAt: new Date('2027-03-01T00:00:00Z'),
      url: 'https://example.org/m/1',
    },
    { uid: 'b@x', title: 'Atelier', startsAt: new Date(0), endsAt: new Date(60_000), updatedAt: new Date(0), cancelled: true },
  ]);
  assert.ok(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n'));
  assert.ok(ics.endsWith('END:VCALENDAR\r\n'));
  assert.ok(!/[^\r]\n/.test(ics), 'every newline is CRLF');
  assert.equal(ics.match(/BEGIN:VEVENT/g)?.length, 2);
  assert.match(ics, /DTSTART:20270320T173000Z\r\nDTEND:20270320T200000Z/);
  assert.match(ics, /LOCATION:Salle 1\\, Nantes/);
  assert.match(ics, /STATUS:CANCELLED/);
});
