import { errorCodes, errorFromCode } from '@meshboard/model';
import { describe, expect, it } from 'vitest';
import { problemResponse, problemTable, toProblem } from './problem';

describe('problem table', () => {
  it('maps every error code to a 4xx status and a stable type URI', () => {
    for (const code of errorCodes) {
      const problem = toProblem(errorFromCode(code, `because ${code}`), '/api/x');
      expect(problem).toMatchObject({ code, status: problemTable[code].status, detail: `because ${code}`, instance: '/api/x', type: `https://meshboard.dev/problems/${code}` });
      expect(problem.status).toBeGreaterThanOrEqual(400);
      expect(problem.status).toBeLessThan(500);
    }
  });

  it('uses the statuses HTTP defines for each meaning', () => {
    expect(Object.fromEntries(Object.entries(problemTable).map(([code, entry]) => [code, entry.status]))).toEqual({
      'invalid-input': 400,
      'not-authenticated': 401,
      'not-allowed': 403,
      'not-found': 404,
      conflict: 409,
      'precondition-failed': 412,
      'precondition-required': 428,
      'too-many-requests': 429,
    });
  });

  it('hides everything about an unexpected error', async () => {
    const response = problemResponse(new TypeError('cannot read x of undefined at /srv/secret.ts:12'));
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const body = await response.text();
    expect(body).not.toContain('secret');
    expect(JSON.parse(body)).toMatchObject({ code: 'internal', type: 'https://meshboard.dev/problems/internal' });
  });
});
