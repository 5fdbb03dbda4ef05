import { describe, expect, it } from 'vitest';
import { errorCodes, errorFromCode, InputError, isErrorCode, MeshboardError, NotFoundError } from './MeshboardError';

describe('MeshboardError', () => {
  it('round-trips every code through errorFromCode', () => {
    for (const code of errorCodes) {
      const error = errorFromCode(code, `m-${code}`);
      expect(error).toBeInstanceOf(MeshboardError);
      expect(error.code).toBe(code);
      expect(error.message).toBe(`m-${code}`);
    }
  });

  it('keeps the field pointers of an input error', () => {
    const error = errorFromCode('invalid-input', 'bad', [{ pointer: '/name', detail: 'required' }]);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([{ pointer: '/name', detail: 'required' }]);
  });

  it('recognises only the stable codes', () => {
    expect(isErrorCode('not-found')).toBe(true);
    expect(isErrorCode('teapot')).toBe(false);
    expect(isErrorCode(404)).toBe(false);
    expect(new NotFoundError('x').name).toBe('NotFoundError');
  });
});
