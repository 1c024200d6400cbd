// French identifiers checked by their own arithmetic: SIRET (Luhn, with La Poste's exception), IBAN
// (ISO 13616 mod 97) and telephone numbers (national plan, mainland and overseas).
import { luhnValid } from '../../../core/territory/luhn.ts';

/** SIRET: 14 digits, Luhn; La Poste's establishments (SIREN 356000000) use a sum of digits divisible by 5. */
export function normaliseSiret(input: string): string | null {
  const digits = input.replace(/[\s.\u00a0]/g, '');
  if (!/^\d{14}$/.test(digits)) return null;
  if (digits.startsWith('356000000')) {
    const sum = [...digits].reduce((s, c) => s + Number(c), 0);
    return sum % 5 === 0 ? digits : null;
  }
  return luhnValid(digits) ? digits : null;
}

/** IBAN: country, check digits, BBAN; mod 97 = 1. French IBANs are 27 characters. */
export function normaliseIban(input: string): string | null {
  const iban = input.replace(/[\s\u00a0-]/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return null;
  if ((iban.startsWith('FR') || iban.startsWith('MC')) && iban.length !== 27) return null;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const c of rearranged) {
    const n = c >= 'A' ? String(c.charCodeAt(0) - 55) : c;
    for (const d of n) remainder = (remainder * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1 ? iban : null;
}

// Overseas country codes whose numbers follow the French plan (9 digits after the code).
const OVERSEAS = ['262', '269', '508', '590', '594', '596', '681', '687', '689'];

/** French phone numbers: 0X XX XX XX XX, +33 X XX XX XX XX, 0033…, and overseas codes. Returns the national form. */
export function normalisePhone(input: string): string | null {
  const compact = input.replace(/[\s.\-()\u00a0]/g, '');
  let national: string | null = null;
  let m: RegExpExecArray | null;
  if ((m = /^0([1-9]\d{8})$/.exec(compact))) national = m[1]!;
  else if ((m = /^(?:\+|00)33(?:\(0\))?0?([1-9]\d{8})$/.exec(compact))) national = m[1]!;
  if (national) return `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  if ((m = /^(?:\+|00)(\d{3})(\d{6,9})$/.exec(compact)) && OVERSEAS.includes(m[1]!)) return `+${m[1]} ${m[2]}`;
  return null;
}
