import { describe, expect, it } from 'vitest';
import { StreamDemuxer } from '../../src/sandbox/demux.js';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('StreamDemuxer', () => {
  const wire = Buffer.concat([frame(1, 'out-1 '), frame(2, 'err-1'), frame(1, 'out-2'), frame(1, ''), frame(3, ' engine')]);

  it('splits whole frames by stream', () => {
    const d = new StreamDemuxer();
    d.push(wire);
    expect(d.stdout().toString()).toBe('out-1 out-2');
    expect(d.stderr().toString()).toBe('err-1 engine');
    expect(d.incomplete).toBe(false);
  });

  it('handles chunks split at any byte', () => {
    for (let size = 1; size <= wire.length; size++) {
      const d = new StreamDemuxer();
      for (let i = 0; i < wire.length; i += size) d.push(wire.subarray(i, i + size));
      expect(d.stdout().toString()).toBe('out-1 out-2');
      expect(d.stderr().toString()).toBe('err-1 engine');
    }
  });

  it('keeps at most maxBytes per stream but counts everything', () => {
    const d = new StreamDemuxer(4);
    d.push(wire);
    expect(d.stdout().toString()).toBe('out-');
    expect(d.stderr().toString()).toBe('err-');
    expect(d.totalStdout).toBe(11);
    expect(d.totalStderr).toBe(12);
  });

  it('reports a stream cut mid-frame', () => {
    const d = new StreamDemuxer();
    d.push(wire.subarray(0, 10));
    expect(d.incomplete).toBe(true);
  });
});
