import { describe, expect, it } from 'vitest';
import { decodeOutput } from '../../src/sandbox/decode-output.js';

describe('decodeOutput', () => {
  it('decodes UTF-8 and replaces invalid bytes instead of throwing', () => {
    expect(decodeOutput(Buffer.from('héllo ✓'), 100)).toBe('héllo ✓');
    expect(decodeOutput(Buffer.from([0x61, 0xff, 0xfe, 0x00, 0x62]), 100)).toBe('a\uFFFD\uFFFD\u0000b');
    expect(decodeOutput(Buffer.alloc(0), 10)).toBe('');
  });

  it('truncates at the byte limit', () => {
    expect(decodeOutput(Buffer.from('abcdef'), 4)).toBe('abcd');
  });

  it('drops a character the cut split instead of showing U+FFFD', () => {
    const bytes = Buffer.from('ab✓'); // ✓ is 3 bytes
    expect(decodeOutput(bytes, 3)).toBe('ab');
    expect(decodeOutput(bytes, 4)).toBe('ab');
    expect(decodeOutput(bytes, 5)).toBe('ab✓');
    const emoji = Buffer.from('x😀y'); // 4-byte sequence
    for (let cut = 1; cut <= 4; cut++) expect(decodeOutput(emoji, cut)).toBe('x');
    expect(decodeOutput(emoji, 5)).toBe('x😀');
  });

  it('keeps real garbage at the cut as U+FFFD', () => {
    expect(decodeOutput(Buffer.from([0x61, 0x80, 0x80, 0x62]), 3)).toBe('a\uFFFD\uFFFD');
  });
});
