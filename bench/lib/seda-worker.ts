// One side of the seda-export benchmark, in its own process so that its peak memory is its own:
// `node bench/lib/seda-worker.ts seda|zip <dir> <out.zip>` prints {ms, bytes, peakRssMiB}.
//   seda: the SEDA 2.3 ArchiveTransfer of the units described in <dir>/objects.json (manifest streamed
//         first, then every object opened in turn, its size and SHA-512 checked on the way);
//   zip:  the same object files zipped by yazl alone, stored the same way: the peer limit.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import yazl from 'yazl';
import { createSipStream, type SedaArchiveTransfer, type SedaUnit } from '../../src/modules/archives/seda/index.ts';

export interface BenchObject {
  file: string;
  size: number;
  sha512: string;
}

/** 1,000 units as an archivist files them: series of files, each file unit holding one object. */
export function benchTransfer(objects: BenchObject[]): SedaArchiveTransfer {
  const series: SedaUnit[] = [];
  objects.forEach((o, i) => {
    if (i % 100 === 0) {
      series.push({
        id: `serie-${i / 100}`,
        content: { descriptionLevel: 'Series', title: `Série ${i / 100} — dossiers clos`, startDate: '2020-01-01', endDate: '2020-12-31' },
        management: {
          appraisal: { rules: [{ rule: 'APP-10Y', startDate: '2020-12-31' }], finalAction: 'Destroy' },
          access: { rules: [{ rule: 'ACC-00025', startDate: '2020-12-31' }] },
        },
        objectRefs: [],
        children: [],
      });
    }
    series[series.length - 1]!.children.push({
      id: `unit-${i}`,
      content: {
        descriptionLevel: 'File',
        title: `Dossier n° ${i} — demande d'autorisation d'urbanisme`,
        description: `Dossier ${i} déposé en ligne, instruit et décidé ; pièces jointes, historique, récépissé.`,
        originatingAgencyIdentifiers: [`bastide:dossier:${i}`],
        keywords: [{ content: 'urbanisme', type: 'subject' }],
        originatingAgency: 'COMMUNE-31555',
        startDate: '2020-03-01',
        endDate: '2020-06-30',
      },
      objectRefs: [{ objectId: `obj-${i}` }],
      children: [],
    });
  });
  return {
    messageIdentifier: 'BENCH-EXPORT',
    date: '2026-12-06T00:00:00Z',
    comments: [],
    archivalAgency: 'FRAD031',
    transferringAgency: 'COMMUNE-31555',
    objects: objects.map((o, i) => ({
      id: `obj-${i}`,
      version: 'BinaryMaster_1',
      uri: `content/obj-${i}.pdf`,
      digest: { algorithm: 'SHA-512', value: o.sha512 },
      size: o.size,
      format: { mimeType: 'application/pdf', formatId: 'fmt/276' },
      fileInfo: { filename: `dossier-${i}.pdf` },
    })),
    physicalObjects: [],
    units: series,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, dir, out] = process.argv.slice(2) as [string, string, string];
  const objects = JSON.parse(readFileSync(join(dir, 'objects.json'), 'utf8')) as BenchObject[];
  const t0 = performance.now();
  if (mode === 'seda') {
    const transfer = benchTransfer(objects);
    await pipeline(
      createSipStream(transfer, (o) => createReadStream(join(dir, objects[Number(o.id.slice(4))]!.file)) as Readable),
      createWriteStream(out),
    );
  } else if (mode === 'zip') {
    const zip = new yazl.ZipFile();
    objects.forEach((o, i) => {
      zip.addReadStreamLazy(`content/obj-${i}.pdf`, { compress: false, size: o.size }, (cb) => cb(null, createReadStream(join(dir, o.file))));
    });
    zip.end();
    await pipeline(zip.outputStream as Readable, createWriteStream(out));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const ms = performance.now() - t0;
  const { size } = await import('node:fs/promises').then((fs) => fs.stat(out));
  console.log(JSON.stringify({ ms, bytes: size, peakRssMiB: process.resourceUsage().maxRSS / 1024 }));
}
