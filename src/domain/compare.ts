// Output comparison, as the contract's Comparison modes define it. WHITESPACE (the default)
// treats any run of spaces, tabs and newlines as one separator and ignores leading and trailing
// white space; FLOAT is WHITESPACE where numeric tokens match within a tolerance.

export type Comparison = 'EXACT' | 'WHITESPACE' | 'CASE_INSENSITIVE' | 'FLOAT';

export interface ComparisonRule {
  comparison: Comparison;
  /** FLOAT: a number matches if within the absolute OR the relative tolerance */
  floatAbsTolerance?: number | null;
  floatRelTolerance?: number | null;
}

export const DEFAULT_FLOAT_TOLERANCE = 1e-6;

const tokens = (text: string): string[] => text.split(/\s+/).filter((t) => t !== '');

export function sameTokens(actual: string, expected: string): boolean {
  return compareOutput(actual, expected, { comparison: 'WHITESPACE' });
}

// Any decimal or exponent form, with an optional sign; also inf and nan as the Kattis default
// validator accepts them.
const NUMBER = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|inf(inity)?|nan)$/i;

function floatsMatch(actual: string, expected: string, abs: number, rel: number): boolean {
  if (!NUMBER.test(expected)) return actual === expected;
  if (!NUMBER.test(actual)) return false;
  const a = Number(actual.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
  const e = Number(expected.replace(/^([+-]?)inf(inity)?$/i, '$1Infinity'));
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  const diff = Math.abs(a - e);
  return diff <= abs || diff <= rel * Math.abs(e);
}

export function compareOutput(actual: string, expected: string, rule: ComparisonRule): boolean {
  if (rule.comparison === 'EXACT') return actual === expected;
  const a = tokens(actual);
  const e = tokens(expected);
  if (a.length !== e.length) return false;
  switch (rule.comparison) {
    case 'WHITESPACE':
      return a.every((t, i) => t === e[i]);
    case 'CASE_INSENSITIVE':
      return a.every((t, i) => t.toLowerCase() === e[i]!.toLowerCase());
    case 'FLOAT': {
      const abs = rule.floatAbsTolerance ?? DEFAULT_FLOAT_TOLERANCE;
      const rel = rule.floatRelTolerance ?? DEFAULT_FLOAT_TOLERANCE;
      return a.every((t, i) => floatsMatch(t, e[i]!, abs, rel));
    }
  }
}
