// Transfers in tests: an ArchiveTransferReply as an archival agency writes it, and posting it to the API.
import type { LightMyRequestResponse } from 'fastify';
import type { TestApp } from '../../helpers/app.ts';
import type { ArchivesTenant } from './archives.ts';

/** A reply to `messageRequestIdentifier` naming units ([SEDA id, cote]); code OK/WARNING/000 accepts, any other refuses. */
export function transferReply(messageRequestIdentifier: string, units: Array<[string, string]>, code = 'OK', prolog = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${prolog}
<ArchiveTransferReply xmlns="fr:gouv:culture:archivesdefrance:seda:v2.3">
  <Date>2026-12-07T10:00:00</Date>
  <MessageIdentifier>AD31-ATR-1</MessageIdentifier>
  <CodeListVersions/>
  <DataObjectPackage><DescriptiveMetadata>
    ${units.map(([id, cote]) => `<ArchiveUnit id="${id}"><Content><Title>x</Title><ArchivalAgencyArchiveUnitIdentifier>${cote}</ArchivalAgencyArchiveUnitIdentifier></Content></ArchiveUnit>`).join('')}
  </DescriptiveMetadata><ManagementMetadata/></DataObjectPackage>
  <ReplyCode>${code}</ReplyCode>
  <MessageRequestIdentifier>${messageRequestIdentifier}</MessageRequestIdentifier>
  <GrantDate>2026-12-07T09:00:00Z</GrantDate>
  <ArchivalAgency><Identifier>FRAD031</Identifier></ArchivalAgency>
  <TransferringAgency><Identifier>x</Identifier></TransferringAgency>
</ArchiveTransferReply>`;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function postReply(t: TestApp, a: ArchivesTenant, id: string, xml: string, token = a.archivistToken): Promise<LightMyRequestResponse> {
  return t.app.inject({
    method: 'POST',
    url: `${a.api}/transfers/${id}/reply`,
    headers: { ...bearer(token), 'content-type': 'application/xml' },
    payload: xml,
  });
}

/** Creates a transfer through the API; its id and message identifier. */
export async function createTransfer(
  t: TestApp,
  a: ArchivesTenant,
  units: string[],
  archivalAgency = 'FRAD044',
): Promise<{ id: string; message_identifier: string }> {
  const r = await t.app.inject({
    method: 'POST',
    url: `${a.api}/transfers`,
    headers: bearer(a.archivistToken),
    payload: { units, archival_agency: archivalAgency },
  });
  if (r.statusCode !== 201) throw new Error(`transfer: ${r.statusCode} ${r.body}`);
  return r.json<{ id: string; message_identifier: string }>();
}
