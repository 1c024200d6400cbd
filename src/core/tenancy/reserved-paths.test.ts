// Reserved first path segments: core's, plus what the manifests declare; a bad declaration stops the start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CORE_RESERVED_ROOT_PATHS, installReservedRootPaths, isReservedRootPath } from './reserved-paths.ts';

test('core’s segments always, a module’s once installed, replaced by the next installation', () => {
  installReservedRootPaths([{ module: 'm', paths: ['donnees-ouvertes', 'flux.xml'] }]);
  for (const p of [...CORE_RESERVED_ROOT_PATHS, 'donnees-ouvertes', 'flux.xml']) assert.ok(isReservedRootPath(p), p);
  installReservedRootPaths([]);
  assert.equal(isReservedRootPath('donnees-ouvertes'), false);
  assert.ok(isReservedRootPath('api'));
});

test('a declared path that is not one lower-case segment is refused, naming the module', () => {
  for (const bad of ['a/b', '', '..', 'Catalogue', '%2e', 'x y']) {
    assert.throws(() => installReservedRootPaths([{ module: 'catalogue', paths: [bad] }]), /module catalogue: reserved root path/, bad);
  }
});
