import { Duplex } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SandboxLostError, Supervisor } from '../../src/sandbox/supervisor.js';
import { replyWord, SupervisorError } from '../../src/sandbox/supervisor-protocol.js';

/** A stand-in for the attach stream: records what is written, replies through frames. */
function fakeStream() {
  const written: string[] = [];
  const stream = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, done) {
      written.push(chunk.toString());
      done();
    },
  });
  const frame = (type: number, text: string) => {
    const payload = Buffer.from(text);
    const header = Buffer.alloc(8);
    header[0] = type;
    header.writeUInt32BE(payload.length, 4);
    stream.push(Buffer.concat([header, payload]));
  };
  return { stream, written, frame };
}

const ok = (sup: Supervisor, line: string, ms = 1000) =>
  sup.request([Buffer.from(line)], async (r) => replyWord(await r.line(100), 'OK'), ms, line.trim());

describe('Supervisor', () => {
  it('sends requests one at a time and reads each reply in order', async () => {
    const { stream, written, frame } = fakeStream();
    const sup = new Supervisor(stream);
    const first = ok(sup, 'PING\n');
    const second = ok(sup, 'SAVE\n');
    await new Promise((r) => setImmediate(r));
    expect(written).toEqual(['PING\n']); // the second waits for the first reply
    frame(1, 'OK box-run 2\nOK 2 ');
    frame(1, '4096\n');
    expect(await first).toBe('box-run 2');
    expect(await second).toBe('2 4096');
    expect(written).toEqual(['PING\n', 'SAVE\n']);
  });

  it('turns ERR into a SupervisorError and stays usable', async () => {
    const { stream, frame } = fakeStream();
    const sup = new Supervisor(stream);
    const failing = ok(sup, 'PUT x 0 644\n');
    frame(1, 'ERR bad file name\n');
    await expect(failing).rejects.toBeInstanceOf(SupervisorError);
    const next = ok(sup, 'PING\n');
    frame(1, 'OK\n');
    expect(await next).toBe('');
    expect(sup.alive).toBe(true);
  });

  it('is lost for good after a timeout, with what the supervisor said on stderr', async () => {
    const { stream, frame } = fakeStream();
    const sup = new Supervisor(stream);
    frame(2, 'box-run: something broke\n');
    await expect(ok(sup, 'PING\n', 20)).rejects.toBeInstanceOf(SandboxLostError);
    expect(sup.alive).toBe(false);
    await expect(ok(sup, 'PING\n')).rejects.toThrow(/something broke/);
    expect(stream.destroyed).toBe(true);
  });

  it('fails the pending request at once when the stream ends', async () => {
    const { stream } = fakeStream();
    const sup = new Supervisor(stream);
    const pending = ok(sup, 'PING\n', 60_000);
    stream.push(null);
    await expect(pending).rejects.toBeInstanceOf(SandboxLostError);
  });
});
