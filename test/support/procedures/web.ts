// Shortcuts for the page tests: a published procedure made through the module's own actions, and the
// small HTML readings the tests need (links, hidden values, element counts).
import { translator } from '../../../src/core/i18n/i18n.ts';
import type { Database } from '../../../src/core/db/database.ts';
import type { ProcedureDefinition } from '../../../src/modules/procedures/fields/definition.ts';
import type { Principal } from '../../../src/modules/procedures/procedures.policy.ts';
import { createProcedure, publishProcedure } from '../../../src/modules/procedures/actions/create-procedure.ts';

export function designer(tenantId: string): Principal {
  return { tenantId, actor: 'system', personId: null, viaToken: true, roles: ['procedure_admin'], t: translator('fr') };
}

export async function publish(db: Database, tenantId: string, definition: ProcedureDefinition): Promise<{ id: string; slug: string }> {
  const created = await createProcedure(db, designer(tenantId), definition);
  await publishProcedure(db, designer(tenantId), created.id);
  return { id: created.id, slug: created.slug };
}

/** The value of a hidden or text input by name. */
export function inputValue(body: string, name: string): string | null {
  const re = new RegExp(`<input[^>]*name="${name.replace(/[[\]]/g, '\\$&')}"[^>]*>`);
  const tag = re.exec(body)?.[0];
  return tag ? (/value="([^"]*)"/.exec(tag)?.[1]?.replace(/&amp;/g, '&') ?? '') : null;
}

/** Elements in a page, counted by their opening tags (what a DOM would hold, roughly). */
export function elementCount(body: string): number {
  return (body.match(/<[a-zA-Z][a-zA-Z0-9-]*[\s>/]/g) ?? []).length;
}
