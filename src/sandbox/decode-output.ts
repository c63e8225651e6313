const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Decodes program output as UTF-8 without ever throwing: invalid bytes become U+FFFD. Output is
 * cut at `maxBytes`; a multi-byte character split by the cut is dropped rather than shown as
 * U+FFFD, because it was not invalid, only truncated.
 */
export function decodeOutput(bytes: Uint8Array, maxBytes: number): string {
  if (bytes.length <= maxBytes) return decoder.decode(bytes);
  return decoder.decode(bytes.subarray(0, completeUtf8Prefix(bytes, maxBytes)));
}

/** Length of bytes[0, end) without a trailing incomplete UTF-8 sequence. */
function completeUtf8Prefix(bytes: Uint8Array, end: number): number {
  // A sequence is at most 4 bytes: look back at most 3 continuation bytes for its lead byte.
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const b = bytes[i]!;
    if ((b & 0xc0) === 0x80) continue; // continuation byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return end - i < need ? i : end;
  }
  return end;
}
