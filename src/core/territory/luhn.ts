// The Luhn checksum, shared by the French establishment and company numbers (SIRET, SIREN) that both
// procedures (a form's siret field) and the catalogue (Validata's french-siret-value check) verify.

/** Luhn over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
