// SEDA packages for tests: the Vitam example manifests packed with objects (issue 13: "the test writes the
// objects and puts their digests and sizes into the manifest"), and a small transfer built in code.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { zipOf } from './zips.ts';
import type { SedaArchiveTransfer } from '../../../src/modules/archives/seda/index.ts';

export const SEDA_FIXTURES = new URL('../../../src/modules/archives/seda/fixtures/', import.meta.url);
export const VITAM_EXAMPLES = [
  'vitam-sip2_3.xml',
  'vitam-cookbook-signinginformation-1-cas-simple-manifest.xml',
  'vitam-cookbook-signinginformation-3-binaires-multiples-manifest.xml',
] as const;

export function fixture(name: string): string {
  return readFileSync(new URL(name, SEDA_FIXTURES), 'utf8');
}

/** Deterministic bytes for an object, of a size that depends on its id. */
export function objectBytes(id: string): Buffer {
  return Buffer.from(`Objet ${id} : contenu d'essai, écrit par le test.\n`.repeat(10 + (id.length % 7) * 13), 'utf8');
}

const ALGORITHMS: Record<string, string> = { 'SHA-512': 'sha512', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-1': 'sha1', MD5: 'md5' };

/**
 * The example manifest with, for each BinaryDataObject, its Uri's bytes written and its MessageDigest and Size
 * set to theirs. Returns the manifest and the files the zip must hold.
 */
export function packExample(manifest: string): { manifest: string; files: Record<string, Buffer> } {
  const files: Record<string, Buffer> = {};
  const rewritten = manifest.replace(/<BinaryDataObject id="([^"]+)">([\s\S]*?)<\/BinaryDataObject>/g, (_all, id: string, body: string) => {
    const uri = /<Uri>([^<]+)<\/Uri>/.exec(body)?.[1];
    if (!uri) return _all;
    const bytes = objectBytes(id);
    files[uri] = bytes;
    const algorithm = /<MessageDigest algorithm="([^"]+)">/.exec(body)![1]!;
    const digest = createHash(ALGORITHMS[algorithm]!).update(bytes).digest('hex');
    const withDigest = body
      .replace(/(<MessageDigest algorithm="[^"]+">)[^<]*(<\/MessageDigest>)/, `$1${digest}$2`)
      .replace(/<Size>\d+<\/Size>/, `<Size>${bytes.length}</Size>`);
    return `<BinaryDataObject id="${id}">${withDigest}</BinaryDataObject>`;
  });
  return { manifest: rewritten, files };
}

export async function packedExampleZip(name: string, manifestName = 'manifest.xml'): Promise<Buffer> {
  const { manifest, files } = packExample(fixture(name));
  return zipOf({ [manifestName]: manifest, ...files });
}

/** A transfer using every part of the neutral structure the library keeps. */
export function sampleTransfer(): { transfer: SedaArchiveTransfer; bytes: Map<string, Buffer> } {
  const bytes = new Map<string, Buffer>([
    ['obj-1', objectBytes('obj-1')],
    ['obj-2', Buffer.from('%PDF-1.7\n' + 'x'.repeat(5000))],
    ['obj-3', objectBytes('obj-three')],
  ]);
  const digest = (id: string, algorithm: 'SHA-512' | 'SHA-256' = 'SHA-512') => ({
    algorithm,
    value: createHash(algorithm === 'SHA-512' ? 'sha512' : 'sha256')
      .update(bytes.get(id)!)
      .digest('hex'),
  });
  const transfer: SedaArchiveTransfer = {
    messageIdentifier: 'BASTIDE-TR-2026-0001',
    date: '2026-12-06T04:00:00Z',
    comments: ['Versement des dossiers clos de 2020 — « état civil » & urbanisme'],
    archivalAgreement: 'CONVENTION-AD-2026',
    archivalAgency: 'FRAD031',
    transferringAgency: 'COMMUNE-31555',
    originatingAgencyIdentifier: 'COMMUNE-31555',
    submissionAgencyIdentifier: 'SERVICE-URBA',
    objects: [
      {
        id: 'obj-1',
        groupId: 'grp-1',
        version: 'BinaryMaster_1',
        uri: 'content/obj-1.txt',
        digest: digest('obj-1'),
        size: bytes.get('obj-1')!.length,
        format: { formatLitteral: 'Plain Text File', mimeType: 'text/plain', formatId: 'x-fmt/111', encoding: 'UTF-8' },
        fileInfo: { filename: 'arrêté.txt', lastModified: '2020-03-01T10:00:00' },
      },
      {
        id: 'obj-2',
        groupId: 'grp-1',
        version: 'Dissemination_1',
        uri: 'content/obj-2 décision.pdf',
        digest: digest('obj-2', 'SHA-256'),
        size: bytes.get('obj-2')!.length,
        format: { mimeType: 'application/pdf', formatId: 'fmt/276' },
      },
      {
        id: 'obj-3',
        version: 'BinaryMaster_1',
        uri: 'content/sub/obj-3.txt',
        digest: digest('obj-3'),
        size: bytes.get('obj-3')!.length,
      },
    ],
    physicalObjects: [],
    units: [
      {
        id: 'unit-root',
        management: {
          appraisal: { rules: [{ rule: 'APP-10Y', startDate: '2020-12-31' }], finalAction: 'Destroy' },
          access: { rules: [{ rule: 'ACC-00050', startDate: '2020-12-31' }] },
          dissemination: { rules: [{ rule: 'DIS-00001' }], preventInheritance: true },
          reuse: { rules: [], refNonRuleIds: ['REU-00001'] },
          storage: { rules: [{ rule: 'STO-00001' }], finalAction: 'Copy' },
          classification: { rules: [], classificationLevel: 'Non protégé', classificationOwner: 'COMMUNE-31555' },
          hold: { rules: [{ rule: 'HOL-00001', startDate: '2026-01-01', holdEndDate: '2027-01-01', holdOwner: 'Archiviste', holdReason: 'Contentieux' }] },
          needAuthorization: false,
        },
        content: {
          descriptionLevel: 'RecordGrp',
          title: 'Dossiers de permis de construire 2020',
          description: 'Demandes déposées en 2020 et décisions <finales>.',
          originatingAgencyIdentifiers: ['bastide:unit:1'],
          keywords: [
            { content: 'urbanisme', type: 'subject' },
            { content: 'Toulouse', type: 'geogname', reference: 'COG-31555' },
          ],
          originatingAgency: 'COMMUNE-31555',
          submissionAgency: 'SERVICE-URBA',
          startDate: '2020-01-01',
          endDate: '2020-12-31',
        },
        objectRefs: [],
        children: [
          {
            id: 'unit-a',
            content: { descriptionLevel: 'File', title: 'PC 031 555 20 00001', startDate: '2020-03-01', endDate: '2020-06-30' },
            objectRefs: [{ groupId: 'grp-1' }],
            children: [
              {
                id: 'unit-a1',
                management: { access: { rules: [{ rule: 'ACC-00025' }] } },
                content: { descriptionLevel: 'Item', title: 'Pièce jointe' },
                objectRefs: [{ objectId: 'obj-3' }],
                children: [],
              },
            ],
          },
        ],
      },
    ],
  };
  return { transfer, bytes };
}
