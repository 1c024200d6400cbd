// The private tracking code of a dossier filed without an account (a guest, a person helped by a
// mediator, an integration): shown once, then only its hash is kept (dossiers.tracking_code_hash), the
// same SHA-256 as session and token secrets (core/auth hashToken).
import { createHmac } from 'node:crypto';
import { hashToken } from '../../core/auth/sessions.ts';

/**
 * The code: an HMAC of the dossier id under the installation secret, so that a retried submission can
 * give the same code again, and a reminder mail can repeat it, while the database keeps only its hash.
 */
export function trackingCodeFor(secret: string, tenantId: string, dossierId: string): string {
  return createHmac('sha256', secret).update(`tracking:${tenantId}:${dossierId}`).digest('base64url').slice(0, 32);
}

/** What dossiers.tracking_code_hash holds for a code. */
export const trackingCodeHash: (code: string) => string = hashToken;
