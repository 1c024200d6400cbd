// Errors that routes throw; the error handler turns them into localised HTML pages or JSON.
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  readonly details?: unknown;
  constructor(statusCode: number, code: string, message?: string, details?: unknown) {
    super(message ?? code);
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (message?: string) => new HttpError(404, 'not_found', message);
export const forbidden = (message?: string) => new HttpError(403, 'forbidden', message);
export const unauthorized = (message?: string) => new HttpError(401, 'unauthorized', message);
export const conflict = (message?: string) => new HttpError(409, 'conflict', message);
/** Field errors: `{ field: [message, …] }`, localised by the caller. */
export const unprocessable = (errors: Record<string, string[]>, message?: string) => new HttpError(422, 'invalid', message, { errors });
export const tooManyRequests = (retryAfterSeconds: number) => new HttpError(429, 'rate_limited', undefined, { retryAfterSeconds });
/** Sends the browser elsewhere (an anonymous visitor to the sign-in page): the error handler redirects. */
export const redirectTo = (location: string) => new HttpError(303, 'redirect', undefined, { location });
