import { describe, expect, it } from 'vitest';
import { loadContractText } from './loadContract';

const dcs = (threshold: string): string => `dataContractSpecification: 1.2.1
id: events
info:
  title: Events
  version: 1.0.0
servers:
  local:
    type: local
    format: csv
    path: events.csv
models:
  events:
    fields:
      at:
        type: timestamp
servicelevels:
  freshness:
    threshold: ${threshold}
    timestampField: events.at
`;

describe('loadContractText', () => {
  it('loads a DCS contract without warnings when everything converts', () => {
    const loaded = loadContractText('c.yaml', dcs('25h'));
    expect(loaded).toMatchObject({ ok: true, format: 'dcs', warnings: [] });
    expect(loaded.ok && loaded.contract.slaProperties).toEqual([{ property: 'freshness', value: 25, unit: 'h', element: 'events.at' }]);
  });

  it('returns what the DCS conversion dropped as warnings with file:line:column', () => {
    const loaded = loadContractText('c.yaml', dcs('soon-ish'));
    expect(loaded.ok && loaded.contract.slaProperties).toBeUndefined();
    expect(loaded.ok && loaded.warnings).toEqual([
      'c.yaml:18:16: /servicelevels/freshness/threshold: cannot read the duration "soon-ish" (not converted from DCS, so not checked)',
    ]);
  });

  it('gives an ODCS contract no warnings', () => {
    const loaded = loadContractText('c.yaml', 'apiVersion: v3.1.0\nkind: DataContract\nid: x\nversion: 1.0.0\nstatus: active\n');
    expect(loaded).toMatchObject({ ok: true, format: 'odcs', warnings: [] });
  });
});
