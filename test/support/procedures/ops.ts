// Shared by the operations tests: an app with the procedures operations wired (through the real manifest
// once it lists them), a principal per role, a realistic procedure, a real SMTP server, and a small MIME
// reader for what it receives. Test support only: imported by *.test.ts files, never by the app.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startTestApp, type TestApp } from '../../helpers/app.ts';
import { modules as defaultModules } from '../../../src/modules.ts';
import type { ModuleManifest } from '../../../src/core/module.ts';
import type { Role } from '../../../src/core/base/roles.ts';
import { translator } from '../../../src/core/i18n/i18n.ts';
import type { Principal } from '../../../src/modules/procedures/procedures.policy.ts';
import { createProcedure, publishProcedure } from '../../../src/modules/procedures/actions/create-procedure.ts';
import type { ProcedureRow } from '../../../src/modules/procedures/procedures.repository.ts';
import { proceduresJobs, proceduresSchedules, registerProceduresOpsRoutes } from '../../../src/modules/procedures/ops.ts';

/** The product's modules, plus the operations side when the procedures manifest does not list it yet. */
export function modulesWithOps(): ModuleManifest[] {
  if (defaultModules.some((m) => m.name === 'procedures')) return defaultModules;
  return [...defaultModules, { name: 'procedures-ops', routes: registerProceduresOpsRoutes, jobs: proceduresJobs, schedules: proceduresSchedules }];
}

export async function startOpsApp(env: Record<string, string> = {}): Promise<TestApp> {
  return startTestApp({ modules: modulesWithOps(), env });
}

export function principal(tenantId: string, roles: Role[], personId: string | null = null): Principal {
  return { tenantId, actor: personId ? `person:${personId}` : 'system', personId, viaToken: !personId, roles, t: translator('fr') };
}

export const SUBSIDY_DEFINITION = {
  title: 'Demande de subvention associative',
  description: 'Pour les associations de la commune.',
  fields: [
    { key: 'identite', label: 'Votre association', type: 'section' },
    { key: 'nom', label: 'Nom de l’association', type: 'text', required: true },
    { key: 'siret', label: 'Numéro SIRET', type: 'siret', required: true },
    { key: 'commune', label: 'Commune du siège', type: 'commune', required: true },
    { key: 'domaine', label: 'Domaine', type: 'choice', options: ['Sport', 'Culture', 'Solidarité'], required: true },
    { key: 'montant', label: 'Montant demandé (€)', type: 'decimal', required: true },
    { key: 'projet', label: 'Décrivez le projet', type: 'textarea' },
  ],
};

export const SUBSIDY_ANSWERS = {
  nom: 'Les Amis de l’École « Jean-Zay »',
  siret: '73282932000074',
  commune: '44109',
  domaine: 'Culture',
  montant: 1500.5,
  projet: 'Fête de l’été; atelier "théâtre", =1+1 et goûter',
};

export async function publishedProcedure(t: TestApp, tenantId: string, definition: object = SUBSIDY_DEFINITION): Promise<ProcedureRow> {
  const admin = principal(tenantId, ['procedure_admin']);
  const procedure = await createProcedure(t.db, admin, definition);
  await publishProcedure(t.db, admin, procedure.id);
  return procedure;
}

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export async function startSmtp(): Promise<{ port: number; received: ReceivedMail[]; stop(): Promise<void> }> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('latin1') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server as unknown as { server: { address(): AddressInfo } }).server.address().port;
  return { port, received, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Decodes RFC 2047 encoded words (=?UTF-8?Q?…?= / ?B?) of a header value. */
function decodeWords(value: string): string {
  return value.replace(/\?=\s+=\?/g, '?==?').replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, text: string) => {
    if (enc.toLowerCase() === 'b') return Buffer.from(text, 'base64').toString('utf8');
    const bytes = text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (__, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  });
}

function decodeBody(body: string, encoding: string): Buffer {
  if (/base64/i.test(encoding)) return Buffer.from(body.replace(/\s+/g, ''), 'base64');
  if (/quoted-printable/i.test(encoding)) {
    return Buffer.from(
      body.replace(/=\r?\n/g, '').replace(/=([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
      'latin1',
    );
  }
  return Buffer.from(body, 'latin1');
}

export interface ParsedMail {
  subject: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

/** Just enough MIME for nodemailer's output: subject, the text/plain part, the attachments. */
export function parseMail(raw: string): ParsedMail {
  const split = (part: string) => {
    const at = part.indexOf('\r\n\r\n');
    const head = part.slice(0, at).replace(/\r\n[ \t]+/g, ' ');
    const headers = new Map<string, string>();
    for (const line of head.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers.set(line.slice(0, i).toLowerCase(), line.slice(i + 1).trim());
    }
    return { headers, body: part.slice(at + 4) };
  };
  const top = split(raw);
  const mail: ParsedMail = { subject: decodeWords(top.headers.get('subject') ?? ''), text: '', attachments: [] };
  const visit = (part: { headers: Map<string, string>; body: string }) => {
    const type = part.headers.get('content-type') ?? 'text/plain';
    const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
    if (boundary) {
      for (const chunk of part.body.split(`--${boundary}`).slice(1)) if (!chunk.startsWith('--')) visit(split(chunk.replace(/^\r\n/, '')));
      return;
    }
    const content = decodeBody(part.body, part.headers.get('content-transfer-encoding') ?? '');
    const disposition = part.headers.get('content-disposition') ?? '';
    if (/attachment/i.test(disposition)) {
      mail.attachments.push({ filename: decodeWords(/filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? ''), contentType: type.split(';')[0]!, content });
    } else if (/^text\/plain/i.test(type)) mail.text += content.toString('utf8');
  };
  visit(top);
  return mail;
}
