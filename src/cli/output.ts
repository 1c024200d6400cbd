// Progress of long commands (backup, restore, seed) is for people: shown on a terminal only, on stderr,
// one line rewritten in place; scripts and logs get nothing but the result.
import type { Progress } from '../core/backup/format.ts';

export interface ProgressLine {
  update: Progress;
  done(): void;
}

export function progressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  if (!stream.isTTY) return { update: () => {}, done: () => {} };
  let shown = false;
  return {
    update(message) {
      stream.write(`\r\x1b[2K${message}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\n');
      shown = false;
    },
  };
}
