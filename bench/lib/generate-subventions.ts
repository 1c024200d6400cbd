// A valid SCDL subventions file (schema 2.1.1, all 16 columns) of any size, deterministic: SIRETs with
// their Luhn keys, ISO dates, amounts, both kinds of beneficiary identifiers, and about one row in eight
// whose `objet` is quoted (a comma or doubled quotes in it), as real exports have.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { frenchSentence } from '../fixtures/french-words.ts';
import { FAMILY_NAMES } from '../fixtures/french-names.ts';

export const SUBVENTIONS_HEADER =
  'nomAttribuant,idAttribuant,dateConvention,referenceDecision,nomBeneficiaire,idBeneficiaire,rnaBeneficiaire,objet,montant,nature,conditionsVersement,datesPeriodeVersement,idRAE,notificationUE,pourcentageSubvention,dispositifAide';

/** Completes 8 (SIREN) or 13 digits with the Luhn key, then (SIRET) keeps the SIREN valid too. */
function luhnKey(digits: string): string {
  for (let k = 0; k <= 9; k++) {
    const n = digits + k;
    let sum = 0;
    for (let i = 0; i < n.length; i++) {
      let d = n.charCodeAt(n.length - 1 - i) - 48;
      if (i % 2 === 1) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    if (sum % 10 === 0) return n;
  }
  throw new Error('unreachable');
}

export function siret(seed: number): string {
  const siren = luhnKey(
    String(100000000 + ((seed * 7919) % 800000000))
      .slice(1, 9)
      .padStart(8, '1'),
  );
  return luhnKey(siren + String(seed % 10000).padStart(4, '0'));
}

const ATTRIBUANTS = Array.from({ length: 50 }, (_, i) => [`Commune de ${FAMILY_NAMES[i % FAMILY_NAMES.length]}ville`, siret(i + 1)] as const);
const NATURES = ['aide en numéraire', 'aide en nature', 'aide en numéraire;aide en nature'];
const pad = (n: number) => String(n).padStart(2, '0');

export function subventionRow(i: number): string {
  const [nom, id] = ATTRIBUANTS[i % ATTRIBUANTS.length]!;
  const y = 2015 + (i % 9);
  const m = 1 + (i % 12);
  const d = 1 + (i % 28);
  const date = `${y}-${pad(m)}-${pad(d)}`;
  const beneficiaire = `Association ${FAMILY_NAMES[(i * 7) % FAMILY_NAMES.length]} ${frenchSentence(i, 2).slice(0, -1)}`;
  const withSiret = i % 5 !== 0;
  let objet = frenchSentence(i + 1, 6 + (i % 6));
  if (i % 8 === 0) objet = `"${objet.slice(0, -1)}, ""${FAMILY_NAMES[i % FAMILY_NAMES.length]}"" édition ${i % 30}"`;
  return [
    nom,
    id,
    date,
    `DELIB-${y}-${i % 1000}`,
    beneficiaire,
    withSiret ? siret(i + 1000) : '',
    withSiret && i % 3 ? '' : `W${String(100000000 + (i % 899999999)).slice(0, 9)}`,
    objet,
    `${(i % 100000) + 100}.${pad(i % 100)}`,
    NATURES[i % NATURES.length],
    i % 2 ? 'unique' : 'échelonné',
    i % 2 ? date : `${date}/${y + 1}-${pad(m)}-${pad(d)}`,
    i % 10 === 0 ? String(10000 + (i % 89999)) : '',
    i % 4 ? 'non' : 'oui',
    (1 + (i % 100)) / 100 === 1 ? '1.00' : ((1 + (i % 100)) / 100).toFixed(2),
    '',
  ].join(',');
}

export async function writeSubventions(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  let buffer = `${SUBVENTIONS_HEADER}\n`;
  for (let i = 0; i < rows; i++) {
    buffer += `${subventionRow(i)}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}
