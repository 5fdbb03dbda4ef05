import { describe, expect, it } from 'vitest';
import { readBacklogCsv, readJiraDate, writeBacklogCsv } from './backlogCsv';
import { parseCsv } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks', () => {
    expect(parseCsv('a,b\r\n"x, y","say ""hi""\nthere"\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"\nthere'] },
    ]);
  });
  it('locates an unterminated quote', () => {
    expect(() => parseCsv('a,b\n1,"open\n')).toThrow('line 2, column 3: a quoted field is never closed');
  });
});

const jiraHeader = 'Summary,Issue key,Issue Type,Status,Priority,Description,Labels,Labels,Story Points,Created,Reporter';

describe('Jira CSV import', () => {
  it('maps the usual columns', () => {
    const result = readBacklogCsv(`${jiraHeader}\nAdd currency column,SALES-12,Story,In Progress,High,"Needed for EU, UK",finance,eu,5,23/Nov/26 7:02 PM,cy@example.com\nFix nulls,SALES-13,Bug,Won't Do,Low,,,,,2026-11-01,\n`);
    expect(result.problems).toEqual([]);
    expect(result.format).toBe('jira');
    expect(result.drafts[0]).toEqual({
      kind: 'story', title: 'Add currency column', description: 'Needed for EU, UK', state: 'in_progress', declineReason: null, labels: ['finance', 'eu'], estimate: 5,
      acceptanceCriteria: [], inputs: { moscow: 'should' }, requester: 'cy@example.com', reportedAt: '2026-11-23T19:02:00.000Z', source: 'Jira SALES-12',
    });
    expect(result.drafts[1]).toMatchObject({ kind: 'defect', state: 'declined', declineReason: 'Closed in Jira as "Won\'t Do".', inputs: { moscow: 'wont' }, requester: null });
  });
  it('reports every bad cell as row:column with its header', () => {
    const result = readBacklogCsv(`${jiraHeader}\nOk,K-1,Spike,Doing,High,,,,lots,yesterday,\n`);
    expect(result.drafts).toEqual([]);
    expect(result.problems).toEqual([
      { row: 2, column: 3, header: 'Issue Type', detail: expect.stringContaining('unknown issue type "Spike"') as unknown },
      { row: 2, column: 4, header: 'Status', detail: expect.stringContaining('unknown status "Doing"') as unknown },
      { row: 2, column: 9, header: 'Story Points', detail: '"lots" is not a number of 0 or more' },
      { row: 2, column: 10, header: 'Created', detail: expect.stringContaining('"yesterday" is not a date') as unknown },
    ]);
  });
  it('rejects a file that is neither format', () => {
    expect(readBacklogCsv('foo,bar\n1,2\n').problems[0]).toMatchObject({ row: 1, column: 1 });
  });
  it('reads Jira dates', () => {
    expect(readJiraDate('01/Jan/2027 12:30 AM')).toBe('2027-01-01T00:30:00.000Z');
    expect(readJiraDate('31/Feb/26')).toBeNull();
  });
});

describe('Meshboard CSV round trip', () => {
  it('writes and reads back the same items', () => {
    const csv = writeBacklogCsv([
      { number: 1, kind: 'story', title: 'Story, with comma', description: 'Line 1\nLine 2', state: 'declined', declineReason: 'Not now', labels: ['a', 'b'], estimate: 3, acceptanceCriteria: ['Given x', 'Then y'], inputs: { reach: 4, moscow: 'could' }, requester: 'cy@example.com', votes: 2, duplicateOf: null, createdAt: '2026-11-20T10:00:00.000Z' },
    ]);
    const result = readBacklogCsv(csv);
    expect(result.problems).toEqual([]);
    expect(result.drafts).toEqual([
      { kind: 'story', title: 'Story, with comma', description: 'Line 1\nLine 2', state: 'declined', declineReason: 'Not now', labels: ['a', 'b'], estimate: 3, acceptanceCriteria: ['Given x', 'Then y'], inputs: { moscow: 'could', reach: 4 }, requester: 'cy@example.com', reportedAt: '2026-11-20T10:00:00.000Z', source: null },
    ]);
  });
  it('locates a bad input cell', () => {
    const result = readBacklogCsv('kind,title,input:confidence\nidea,X,150\n');
    expect(result.problems).toEqual([{ row: 2, column: 3, header: 'input:confidence', detail: expect.stringContaining('confidence must be at most 100') as unknown }]);
  });
});
