// Form fields shared by the archives' pages (search, transfers, communication): a labelled field with its
// error, and the fields of a communication (DIP) request. Kept apart so that pages.ts and transfers.ts both
// use them without importing each other.
import { html, type Html } from '../../../core/views/html.ts';
import type { RequestContext } from '../../../core/base/context.ts';

/** Field errors by name (the same shape as pages.ts's Errors). */
type Errors = Record<string, string[]> | undefined;

export function fieldOf(ctx: RequestContext, name: string, input: Html, errors: Errors, hint?: string): Html {
  return html`<div class="field${errors?.[name] ? ' has-error' : ''}"><label for="f-${name}">${ctx.t(`archives.field.${name}`)}</label>${hint ? html`<p class="hint">${hint}</p>` : ''}${
    errors?.[name] ? html`<p class="error">${errors[name]!.join(' ')}</p>` : ''
  }${input}</div>`;
}

/** The fields of a communication request (units are ticked in the search list or listed again here). */
export function communicationFields(ctx: RequestContext, errors: Errors, values: Record<string, string>): Html {
  return html`${fieldOf(ctx, 'request', html`<input id="f-request" name="request" required maxlength="200" value="${values.request ?? ''}">`, errors)}
${fieldOf(ctx, 'requester', html`<input id="f-requester" name="requester" required maxlength="500" value="${values.requester ?? ''}">`, errors)}
<button type="submit">${ctx.t('archives.communication.button')}</button>`;
}
