// `node bench/receipt-render.ts [repository root]`: time and size of a receipt PDF (20 answers, a Polish and
// Vietnamese name), 200 receipts five times after a warm-up; prints one JSON line (best and median ms a
// receipt, bytes as attached to the mail and compressed). Point it at a checkout of an older commit to
// compare writers (docs/procedures-operations.md, "Receipt and dossier PDFs").
import type { DossierSnapshot } from '../src/modules/procedures/operations/dossier-snapshot.ts';
import type { FieldDefinition } from '../src/modules/procedures/fields/definition.ts';

type Receipt = (d: DossierSnapshot, locale: 'fr', options?: { compress?: boolean }) => Buffer;
const root = process.argv[2] ?? new URL('..', import.meta.url).pathname.replace(/\/$/, '');
const { receiptPdf } = (await import(`${root}/src/modules/procedures/receipt/documents.ts`)) as { receiptPdf: Receipt };
const { operationsSettings } = (await import(`${root}/src/modules/procedures/operations/settings.ts`)) as {
  operationsSettings: (stored: unknown) => DossierSnapshot['settings'];
};

const fields: FieldDefinition[] = Array.from({ length: 20 }, (_, i) => ({ key: `f${i}`, label: `Question numéro ${i + 1}`, type: 'text' }));
const data = Object.fromEntries(fields.map((f, i) => [f.key, `Réponse ${i} de Łukasz Żółć Nguyễn Thị, rue de l’Église`]));
const d: DossierSnapshot = {
  id: 'x',
  number: '2026-000042',
  state: 'submitted',
  procedureId: 'p',
  procedureSlug: 's',
  procedureTitle: 'Inscription à la médiathèque',
  revision: 1,
  fields,
  data,
  motivation: null,
  applicantEmail: null,
  groupName: null,
  assigneeEmail: null,
  labels: [],
  createdAt: new Date(),
  submittedAt: new Date(),
  decidedAt: null,
  tenantSlug: 't',
  tenantName: 'Nantes Métropole',
  settings: operationsSettings(null),
  mediation: null,
  hasTrackingCode: false,
};
for (let i = 0; i < 50; i++) receiptPdf({ ...d, number: `W${i}` }, 'fr', { compress: false });
const runs: number[] = [];
let attached = 0;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) attached = receiptPdf({ ...d, number: `2026-${i}` }, 'fr', { compress: false }).length;
  runs.push((performance.now() - t0) / 200);
}
runs.sort((a, b) => a - b);
const compressed = receiptPdf(d, 'fr').length;
console.log(JSON.stringify({ root, best_ms: +runs[0]!.toFixed(3), median_ms: +runs[2]!.toFixed(3), bytes_attachment: attached, bytes_compressed: compressed }));
