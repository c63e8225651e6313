// Output comparison. WHITESPACE (the contract's default) treats any run of spaces, tabs and
// newlines as one separator and ignores leading and trailing white space.

const tokens = (text: string): string[] => text.split(/\s+/).filter((t) => t !== '');

export function sameTokens(actual: string, expected: string): boolean {
  const a = tokens(actual);
  const e = tokens(expected);
  return a.length === e.length && a.every((t, i) => t === e[i]);
}
