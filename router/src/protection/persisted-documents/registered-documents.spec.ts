import { describe, expect, it } from '@jest/globals';
import { RegisteredDocuments } from './registered-documents.js';

describe('registered documents (the APQ cache)', () => {
  it('keeps no more text than its bound, dropping the least recently used first', () => {
    const documents = new RegisteredDocuments(10);
    documents.register('a', 'aaaa');
    documents.register('b', 'bbbb');
    documents.get('a');

    documents.register('c', 'cccc');

    expect(documents.get('a')).toBe('aaaa');
    expect(documents.get('b')).toBeUndefined();
    expect(documents.get('c')).toBe('cccc');
  });

  it('never keeps a text larger than the whole bound', () => {
    const documents = new RegisteredDocuments(3);
    documents.register('big', 'abcd');

    expect(documents.size).toBe(0);
  });
});
