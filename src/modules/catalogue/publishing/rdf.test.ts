// The hand-written Turtle: any text a steward types, any address, reads back as written (parsed by n3).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Parser } from 'n3';
import { iri, text, turtleNode, turtlePrologue, typed } from './rdf.ts';

test('literals and IRIs with quotes, backslashes, line breaks, controls and non-ASCII read back as written', () => {
  const nasty = 'a "quote" \\ back\\slash\nnew line\r\ttab \u0000\u0001\u001f\u007f é 😀 """ \'\'\' @fr ^^xsd:x ; . , ]';
  const ttl =
    turtlePrologue() +
    turtleNode({
      id: 'https://example.org/d?x=1&y=<2> "z"{}|^`\\',
      types: ['dcat:Dataset'],
      props: [
        ['dct:title', text(nasty)],
        ['dct:description', text('plain', 'en')],
        ['dcat:byteSize', typed('12', 'xsd:nonNegativeInteger')],
        ['dct:source', iri('https://example.org/a b')],
      ],
    });
  const quads = new Parser({ format: 'text/turtle' }).parse(ttl);
  assert.equal(quads.length, 5);
  const title = quads.find((q) => q.predicate.value === 'http://purl.org/dc/terms/title')!;
  assert.equal(title.object.value, nasty);
  assert.equal(title.subject.value, 'https://example.org/d?x=1&y=%3C2%3E%20%22z%22%7B%7D%7C%5E%60%5C');
  assert.equal(quads.find((q) => q.predicate.value === 'http://purl.org/dc/terms/source')!.object.value, 'https://example.org/a%20b');
  assert.equal(quads.find((q) => q.predicate.value === 'http://www.w3.org/ns/dcat#byteSize')!.object.value, '12');
});
