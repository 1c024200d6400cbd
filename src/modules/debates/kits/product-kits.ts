// The kits shipped with the product (the local 5G debate first): read once from library/, checked like
// any uploaded kit, so a broken file stops the tests, not a collectivité.
import { readFileSync } from 'node:fs';
import { KitDocument, type Kit } from './kit-format.ts';
import { Value } from '@sinclair/typebox/value';

export interface ProductKit {
  slug: string;
  kit: Kit;
  /** Sample files of its datasets (key → file in library/), clearly fictitious. */
  samples: Record<string, URL>;
}

function load(file: string): Kit {
  const kit: unknown = JSON.parse(readFileSync(new URL(`./library/${file}`, import.meta.url), 'utf8'));
  if (!Value.Check(KitDocument, kit)) throw new Error(`product kit ${file} is not a kit`);
  return kit;
}

export const PRODUCT_KITS: ProductKit[] = [
  {
    slug: 'debat-local-5g',
    kit: load('debat-local-5g.json'),
    samples: { 'sites-radioelectriques': new URL('./library/anfr-sup-support-SAMPLE-FICTITIOUS-nantes-metropole.csv', import.meta.url) },
  },
];
