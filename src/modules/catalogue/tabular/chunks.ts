// Cuts a CSV byte stream into pieces of about `size` bytes that end at a record boundary (a line break
// outside quotes), so that each piece is one COPY: memory stays bounded whatever the file's size, and the
// load commits and reports its progress between pieces. The header record comes first, on its own.
// Only the two bytes that matter are looked for (`"` and `\n`), with indexOf: a quote toggles the state,
// and a doubled quote inside a quoted field toggles it twice, which is the same thing.

const QUOTE = 0x22;
const LF = 0x0a;

export interface CsvPiece {
  bytes: Uint8Array;
  /** Records in the piece. */
  records: number;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  // Buffer.concat: one native copy per part, into memory it need not zero first.
  return Buffer.concat(parts, total);
}

/**
 * Concatenates into one buffer kept from piece to piece (grown when a piece is larger): memory the
 * process touched before. A fresh 16 MiB buffer per piece cost its page faults each time — measured at
 * 60 ms a piece on the shared machine, a second per million rows.
 */
function reusing(): (parts: Uint8Array[], total: number) => Uint8Array {
  let kept: Buffer | null = null;
  return (parts, total) => {
    if (parts.length === 1) return parts[0]!;
    if (!kept || kept.length < total) kept = Buffer.allocUnsafe(Math.max(total, Math.ceil((kept?.length ?? 0) * 1.25)));
    let o = 0;
    for (const p of parts) {
      kept.set(p, o);
      o += p.length;
    }
    return kept.subarray(0, total);
  };
}

function headerOf(b: Uint8Array): Uint8Array {
  let start = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) start = 3;
  let end = b.length;
  if (end > start && b[end - 1] === 0x0d) end--;
  return b.subarray(start, end);
}

/**
 * The header record (without its line break, BOM removed), then pieces of whole records. `reuse`: every
 * piece's bytes live in the same buffer, valid until the next piece is asked for (the caller copies what
 * it keeps: the load computes its keyed copy of each piece at once).
 */
export async function* csvPieces(
  source: AsyncIterable<Uint8Array>,
  size: number,
  options: { reuse?: boolean } = {},
): AsyncGenerator<{ header: Uint8Array } | CsvPiece> {
  const join = options.reuse ? reusing() : concat;
  let inQuotes = false;
  let headerDone = false;
  // Whole records not yet given out, and the start of the next record (no line break seen after it yet).
  let complete: Uint8Array[] = [];
  let completeBytes = 0;
  let records = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    let from = 0;
    let lastLf = -1;
    let i = 0;
    // The next quote at or after i (-1: none left in the chunk), looked for again only once passed: looking
    // for it from every record scanned the rest of the chunk each time (a third of a load's time).
    let q = chunk.indexOf(QUOTE, 0);
    while (i < chunk.length) {
      if (q >= 0 && q < i) q = chunk.indexOf(QUOTE, i);
      if (inQuotes) {
        if (q < 0) break;
        inQuotes = false;
        i = q + 1;
        continue;
      }
      let lf = chunk.indexOf(LF, i);
      if (q >= 0 && lf > q) lf = -1;
      if (lf >= 0) {
        if (!headerDone) {
          headerDone = true;
          pending.push(chunk.subarray(0, lf));
          yield { header: headerOf(concat(pending, pendingBytes + lf)) };
          pending = [];
          pendingBytes = 0;
          from = lf + 1;
        } else {
          records++;
          lastLf = lf;
        }
        i = lf + 1;
      } else if (q >= 0) {
        inQuotes = true;
        i = q + 1;
      } else break;
    }
    if (lastLf >= 0) {
      const head = chunk.slice(from, lastLf + 1);
      complete.push(...pending, head);
      completeBytes += pendingBytes + head.length;
      pending = [];
      pendingBytes = 0;
      from = lastLf + 1;
    }
    if (from < chunk.length) {
      // A copy: the source may reuse its buffer.
      const rest = chunk.slice(from);
      pending.push(rest);
      pendingBytes += rest.length;
    }
    if (completeBytes >= size) {
      yield { bytes: join(complete, completeBytes), records };
      complete = [];
      completeBytes = 0;
      records = 0;
    }
  }
  if (!headerDone) {
    // A file of one line (a header and no row, no final line break).
    const h = headerOf(concat(pending, pendingBytes));
    if (h.length > 0) yield { header: h };
    return;
  }
  // The last record may have no line break; blank trailing lines are not records (COPY would refuse them).
  const tail = pending.some((p) => p.some((b) => b !== 0x0d && b !== LF && b !== 0x20)) ? 1 : 0;
  if (tail) {
    complete.push(...pending);
    completeBytes += pendingBytes;
  }
  let last = join(complete, completeBytes);
  if (!tail) {
    let end = last.length;
    while (end > 0 && (last[end - 1] === LF || last[end - 1] === 0x0d || last[end - 1] === 0x20)) end--;
    const keep = last.indexOf(LF, end) + 1 || last.length;
    for (let i = keep; i < last.length; i++) if (last[i] === LF) records--;
    last = last.subarray(0, keep);
  }
  if (records + tail > 0) yield { bytes: last, records: records + tail };
}

/** Splits one CSV record (the header) into its fields. */
export function parseRecord(text: string, delimiter: string): string[] {
  const out: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i <= text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      if (c === undefined) break;
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === delimiter || c === undefined) {
      out.push(field);
      field = '';
      i++;
    } else {
      field += c;
      i++;
    }
  }
  return out;
}
