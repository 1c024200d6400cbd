// `bastide files move-to-s3 [--verify]`: the local folder's blobs into the bucket that BASTIDE_S3_URL (or
// BASTIDE_S3_*) names for this command (core/backup/move-blobs.ts). It opens no database, so it runs beside a
// server that still uses the local folder.
import type { Command } from 'commander';
import type { Config } from '../config.ts';
import { blobStoreFor, localBlobStore } from '../core/files/store.ts';
import type { S3BlobStore } from '../core/files/s3-store.ts';
import { moveToBucket } from '../core/backup/move-blobs.ts';
import { formatBytes } from '../core/backup/format.ts';
import { CliError } from './errors.ts';
import { progressLine } from './output.ts';

export function registerFilesCommands(program: Command, config: () => Config): void {
  const files = program.command('files').description('the stored files (blobs)');
  files
    .command('move-to-s3')
    .description(
      'copy every file of the local data folder into the bucket named by BASTIDE_S3_URL (or BASTIDE_S3_*), each digest checked after the copy; resumable, switches nothing',
    )
    .option('--verify', 'also read back and check the files the bucket already holds')
    .action(async (o: { verify?: boolean }) => {
      const c = config();
      if (!c.s3) throw new CliError('no bucket: set BASTIDE_S3_URL (or BASTIDE_S3_ENDPOINT, _BUCKET, _ACCESS_KEY_ID, _SECRET_ACCESS_KEY) for this command');
      const local = localBlobStore(c.dataDir);
      const bucket = blobStoreFor(c) as S3BlobStore;
      const progress = progressLine();
      const summary = await moveToBucket(local, bucket, progress.update, { verifyPresent: o.verify === true });
      progress.done();
      for (const failure of summary.failures) process.stderr.write(`bastide: ${failure}\n`);
      console.log(
        `${summary.total} files\t${summary.copied} copied (${formatBytes(summary.bytes)})\t${summary.present} already there\t${summary.failures.length} failed\t${bucket.describe()}`,
      );
      if (summary.failures.length)
        throw new CliError(`${summary.failures.length} file(s) not copied: run the command again once the cause is fixed; nothing was switched`);
    });
}
