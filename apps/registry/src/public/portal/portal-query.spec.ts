import { describe, expect, it } from '@jest/globals';
import { comparison, pageNumber } from './portal-query.js';

describe('the portal query parameters', () => {
  it('reads a page number strictly', () => {
    expect([undefined, '', '1', ' 7 ', ['3', '4']].map(pageNumber)).toEqual([1, 1, 1, 7, 3]);
    expect(['0', '-1', '1.5', '2abc', 'x'].map(pageNumber)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('compares the latest two published revisions unless told otherwise, and names each wrong value', () => {
    expect(comparison({}, [1, 3, 4])).toEqual({ from: 3, to: 4, errors: [] });
    expect(comparison({}, [1])).toEqual({ from: 1, to: 1, errors: [] });
    expect(comparison({ from: '1', to: '3' }, [1, 3, 4])).toEqual({ from: 1, to: 3, errors: [] });
    expect(comparison({ from: '2', to: 'last' }, [1, 3, 4]).errors).toEqual([
      { field: 'from', problem: 'notRevision', value: '2' },
      { field: 'to', problem: 'notRevision', value: 'last' },
    ]);
    expect(comparison({ from: '4', to: '1' }, [1, 3, 4])).toEqual({ from: 4, to: 1, errors: [{ field: 'from', problem: 'order', value: '4' }] });
  });
});
