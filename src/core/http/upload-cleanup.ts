// The bytes a request's uploads created, taken back before its answer is written. A route that reads
// several files (a procedure's form, with files it may not keep) asks for it with `cleanUploadsBeforeReply`
// and registers what storeUpload created with `requestUploads`; the onSend hook below then deletes those no
// committed `blobs` row records, after the handler's transaction and BEFORE the first byte of the answer
// leaves — whether the handler sent a page,
// a redirect or a 201 itself, or threw. (A `finally` around the handler is too late: a handler returning
// the reply waits for it to be sent, so a client could read the store and still find the bytes.)
// A page that carries the files to the next submission keeps them (`keepRequestUploads`); the daily sweep
// removes those never used.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database.ts';
import type { AdoptedBlob } from '../files/store.ts';
import { discardUnrecorded } from '../files/unrecorded.ts';

interface RequestUploads {
  /** Set by the first upload (one collectivité per request). */
  store: { db: Database; tenantId: string } | null;
  created: AdoptedBlob[];
  /** The route asked for the clean-up before its answer (cleanUploadsBeforeReply). */
  armed: boolean;
  kept: boolean;
}

const uploads = new WeakMap<FastifyRequest, RequestUploads>();

function entryOf(request: FastifyRequest): RequestUploads {
  let u = uploads.get(request);
  if (!u) uploads.set(request, (u = { store: null, created: [], armed: false, kept: false }));
  return u;
}

/** This request's unrecorded uploads are deleted before its answer is written (whatever the answer). */
export function cleanUploadsBeforeReply(request: FastifyRequest): void {
  entryOf(request).armed = true;
}

/** The list storeUpload's onCreated should push to, for this request (one collectivité per request). */
export function requestUploads(request: FastifyRequest, db: Database, tenantId: string): AdoptedBlob[] {
  const u = entryOf(request);
  u.store ??= { db, tenantId };
  return u.created;
}

/** The answer carries the files received (signed, for the next submission): they stay. */
export function keepRequestUploads(request: FastifyRequest): void {
  const u = uploads.get(request);
  if (u) u.kept = true;
}

/** Deletes now the blobs this request created that no `blobs` row refers to, unless kept; returns how many. */
export async function discardRequestUploads(request: FastifyRequest): Promise<number> {
  const u = uploads.get(request);
  uploads.delete(request);
  if (!u?.store || u.kept) return 0;
  return discardUnrecorded(u.store.db, u.store.tenantId, u.created);
}

/** Registers the onSend hook (app.ts): an armed request's answer waits for its unrecorded bytes to be deleted. */
export function registerUploadCleanup(app: FastifyInstance): void {
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!uploads.get(request)?.armed) return payload;
    try {
      const removed = await discardRequestUploads(request);
      if (removed) request.log.info({ removed }, 'uploads of the request deleted');
    } catch (error) {
      // The answer stands; the daily sweep removes what could not be deleted now.
      request.log.warn({ err: error }, 'could not delete the uploads of a request');
    }
    return payload;
  });
}
