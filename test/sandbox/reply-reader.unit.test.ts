import { describe, expect, it } from 'vitest';
import { ReplyReader } from '../../src/sandbox/reply-reader.js';

describe('ReplyReader', () => {
  it('reads lines and exact byte counts across chunk borders, in order', async () => {
    const r = new ReplyReader();
    const wire = Buffer.from('REPORT {"a":1}\nhello\x00\xffworld\nOK\n', 'latin1');
    for (let i = 0; i < wire.length; i += 3) r.push(wire.subarray(i, i + 3));
    expect(await r.line(100)).toBe('REPORT {"a":1}');
    expect((await r.bytes(7)).toString('latin1')).toBe('hello\x00\xff');
    expect(await r.line(100)).toBe('world');
    expect(await r.line(100)).toBe('OK');
    expect(r.buffered).toBe(0);
  });

  it('waits for data that has not arrived yet', async () => {
    const r = new ReplyReader();
    const line = r.line(100);
    r.push(Buffer.from('par'));
    setTimeout(() => r.push(Buffer.from('tial\nrest')), 5);
    expect(await line).toBe('partial');
    const bytes = r.bytes(6);
    r.push(Buffer.from('!!'));
    expect((await bytes).toString()).toBe('rest!!');
  });

  it('reads zero bytes at once', async () => {
    expect((await new ReplyReader().bytes(0)).length).toBe(0);
  });

  it('fails pending and later reads once the stream ended, after what was buffered', async () => {
    const r = new ReplyReader();
    r.push(Buffer.from('last\n'));
    r.end(new Error('gone'));
    expect(await r.line(100)).toBe('last');
    await expect(r.line(100)).rejects.toThrow('gone');
    const r2 = new ReplyReader();
    const pending = r2.bytes(10);
    r2.end(new Error('gone too'));
    await expect(pending).rejects.toThrow('gone too');
  });

  it('refuses an endless line', async () => {
    const r = new ReplyReader();
    r.push(Buffer.alloc(200, 0x61));
    await expect(r.line(100)).rejects.toThrow(/longer than 100/);
  });
});
