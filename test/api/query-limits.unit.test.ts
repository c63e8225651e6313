import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { QUERY_LIMITS, queryLimitRules } from '../../src/api/query-limits.js';

// A schema that can nest and fan out without end, to reach every limit.
const schema = buildSchema('type Query { node: Node } type Node { next: Node, items(first: Int): [Node], id: ID }');
const check = (query: string) => validate(schema, parse(query), [...specifiedRules, ...queryLimitRules]).map((e) => e.message);
const nested = (depth: number) => `{ node { ${'next { '.repeat(depth - 2)}id${' }'.repeat(depth - 2)} } }`;

describe('query limits', () => {
  it(`allow a query ${QUERY_LIMITS.depth} deep and refuse one deeper`, () => {
    expect(check(nested(QUERY_LIMITS.depth))).toEqual([]);
    expect(check(nested(QUERY_LIMITS.depth + 1))).toEqual([expect.stringMatching(/depth limit of 8 exceeded/)]);
  });

  it('refuse more aliases or directives than allowed', () => {
    const aliases = Array.from({ length: QUERY_LIMITS.aliases + 1 }, (_, i) => `a${i}: node { id }`).join(' ');
    expect(check(`{ ${aliases} }`)).toEqual([expect.stringMatching(/Aliases limit/)]);
    const directives = Array.from({ length: QUERY_LIMITS.directives + 1 }, () => '@include(if: true)').join(' ');
    expect(check(`{ node ${directives} { id } }`)).toContainEqual(expect.stringMatching(/Directives limit of 20 exceeded/));
  });

  it('refuse a query that asks for too much, and allow a large but real one', () => {
    const wide = (n: number) => buildSchema(`type Query { node: Node } type Node { next: Node ${Array.from({ length: n }, (_, i) => `f${i}: Int`).join(' ')} }`);
    const query = (n: number) => `{ node { ${'next { '.repeat(6)}${Array.from({ length: n }, (_, i) => `f${i}`).join(' ')}${' }'.repeat(6)} } }`;
    const costOf = (n: number) => validate(wide(n), parse(query(n)), queryLimitRules).map((e) => e.message);
    expect(costOf(300)).toEqual([]);
    expect(costOf(3000)).toEqual([expect.stringMatching(/Query Cost limit of 50000 exceeded/)]);
  });
});
