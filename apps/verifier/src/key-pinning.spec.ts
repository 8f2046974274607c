import { describe, expect, it } from '@jest/globals';
import { generateNoteKey } from '@custodia/tlog';
import { pinKey } from './key-pinning.js';

const KEY = generateNoteKey('pin.test/log', new Uint8Array(32).fill(1)).verifierKey;
const OTHER = generateNoteKey('pin.test/log', new Uint8Array(32).fill(2)).verifierKey;

describe('choosing the key that checks the log', () => {
  it('prefers --key, then the state file, then the key the server presents on first use', () => {
    expect(pinKey({ given: KEY, trusted: KEY, served: KEY })).toEqual({ verifierKey: KEY, source: 'option' });
    expect(pinKey({ trusted: KEY, served: KEY })).toEqual({ verifierKey: KEY, source: 'state' });
    expect(pinKey({ served: KEY })).toEqual({ verifierKey: KEY, source: 'first use' });
    expect(pinKey({ given: KEY })).toEqual({ verifierKey: KEY, source: 'option' });
  });

  it('does not mind how the key ID digits are spelled', () => {
    const [name, id, key] = KEY.split(/\+(?=[0-9a-f]{8}\+)|(?<=\+[0-9a-f]{8})\+/);
    expect(pinKey({ given: KEY, served: `${name}+${id!.toUpperCase()}+${key}` }).source).toBe('option');
  });

  it('fails loudly when the server presents another key, or --key contradicts the state file', () => {
    expect(() => pinKey({ given: KEY, served: OTHER })).toThrow(`the server presents the verifier key ${OTHER}, not the pinned key ${KEY}`);
    expect(() => pinKey({ trusted: KEY, served: OTHER })).toThrow("the log's key changed: the state file trusts");
    expect(() => pinKey({ given: OTHER, trusted: KEY })).toThrow("the log's key changed");
    expect(() => pinKey({ served: 'not a key' })).toThrow("the server's verifier key");
  });
});
