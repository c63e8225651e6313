import { describe, expect, it } from 'vitest';
import { compareOutput } from '../../src/domain/index.js';

describe('comparison modes', () => {
  it('EXACT is byte for byte', () => {
    expect(compareOutput('1 2\n', '1 2\n', { comparison: 'EXACT' })).toBe(true);
    expect(compareOutput('1 2', '1 2\n', { comparison: 'EXACT' })).toBe(false);
    expect(compareOutput('1  2\n', '1 2\n', { comparison: 'EXACT' })).toBe(false);
  });

  it('WHITESPACE treats runs of white space alike', () => {
    expect(compareOutput(' 1\t2\n\n3 ', '1 2 3\n', { comparison: 'WHITESPACE' })).toBe(true);
    expect(compareOutput('1 23', '1 2 3', { comparison: 'WHITESPACE' })).toBe(false);
    expect(compareOutput('Yes', 'yes', { comparison: 'WHITESPACE' })).toBe(false);
  });

  it('CASE_INSENSITIVE ignores letter case too', () => {
    expect(compareOutput('YES\n', 'yes', { comparison: 'CASE_INSENSITIVE' })).toBe(true);
    expect(compareOutput('YES NO', 'yes', { comparison: 'CASE_INSENSITIVE' })).toBe(false);
  });

  describe('FLOAT', () => {
    const rule = { comparison: 'FLOAT' as const, floatAbsTolerance: 1e-6, floatRelTolerance: 1e-6 };
    it('accepts any formatting of a close enough number', () => {
      expect(compareOutput('3.14159265', '3.1415927', rule)).toBe(true);
      expect(compareOutput('1e3 0.5', '1000.0000001 .5', rule)).toBe(true);
      expect(compareOutput('-0.0000001', '0', rule)).toBe(true);
      expect(compareOutput('+2', '2.0', rule)).toBe(true);
    });
    it('matches within the absolute OR the relative tolerance', () => {
      expect(compareOutput('1000001', '1000000', { comparison: 'FLOAT', floatAbsTolerance: 0.1, floatRelTolerance: 1e-5 })).toBe(true);
      expect(compareOutput('1000100', '1000000', { comparison: 'FLOAT', floatAbsTolerance: 0.1, floatRelTolerance: 1e-5 })).toBe(false);
      expect(compareOutput('0.15', '0.1', { comparison: 'FLOAT', floatAbsTolerance: 0.1, floatRelTolerance: 0 })).toBe(true);
    });
    it('refuses numbers out of tolerance and compares words exactly', () => {
      expect(compareOutput('3.15', '3.14', rule)).toBe(false);
      expect(compareOutput('abc 1.0', 'abc 1', rule)).toBe(true);
      expect(compareOutput('Abc 1.0', 'abc 1', rule)).toBe(false);
      expect(compareOutput('x', '1', rule)).toBe(false);
      expect(compareOutput('1 2', '1', rule)).toBe(false);
    });
    it('uses 1e-6 when no tolerance is given', () => {
      expect(compareOutput('1.0000005', '1', { comparison: 'FLOAT' })).toBe(true);
      expect(compareOutput('1.00001', '1', { comparison: 'FLOAT' })).toBe(false);
    });
  });
});
