import { describe, expect, it } from 'vitest';
import { FrameSplitter } from '../../src/sandbox/demux.js';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function split(wire: Buffer, size: number) {
  const got: Record<number, string> = { 1: '', 2: '', 3: '' };
  const s = new FrameSplitter((type, payload) => (got[type] += payload.toString()));
  for (let i = 0; i < wire.length; i += size) s.push(wire.subarray(i, i + size));
  return { got, incomplete: s.incomplete };
}

describe('FrameSplitter', () => {
  const wire = Buffer.concat([frame(1, 'out-1 '), frame(2, 'err-1'), frame(1, 'out-2'), frame(1, ''), frame(3, ' engine')]);

  it('hands on each payload with its stream type, for chunks split at any byte', () => {
    for (let size = 1; size <= wire.length; size++) {
      const { got, incomplete } = split(wire, size);
      expect(got[1]).toBe('out-1 out-2');
      expect(got[2]).toBe('err-1');
      expect(got[3]).toBe(' engine');
      expect(incomplete).toBe(false);
    }
  });

  it('reports a stream cut mid-frame or mid-header', () => {
    expect(split(wire.subarray(0, 10), 100).incomplete).toBe(true);
    expect(split(wire.subarray(0, 3), 100).incomplete).toBe(true);
  });

  it('copies payloads, so a reused socket buffer cannot change them later', () => {
    const chunk = frame(1, 'abc');
    const parts: Buffer[] = [];
    new FrameSplitter((_, p) => parts.push(p)).push(chunk);
    chunk.fill(0);
    expect(parts[0]!.toString()).toBe('abc');
  });
});
