import { firstInexactNumber, holdsExactly } from '../../../shared/domain/jsonNumbers';

describe('holdsExactly', () => {
  it.each([
    ['0'],
    ['-0'],
    ['42'],
    ['1.50'],
    ['1e5'],
    ['0.1'],
    ['9007199254740991'],
    ['9007199254740992'],
    ['-2.5E-3'],
  ])('when a JSON number is %s, then JSON.parse keeps its value', (literal) => {
    expect(holdsExactly(literal)).toBe(true);
  });

  it.each([
    ['9007199254740993'],
    ['-9007199254740993'],
    ['12345678901234567890'],
    ['1e400'],
    ['0.10000000000000000001'],
  ])('when a JSON number is %s, then JSON.parse would change it', (literal) => {
    expect(holdsExactly(literal)).toBe(false);
  });
});

describe('firstInexactNumber', () => {
  it('when every number is exact, then there is nothing to report', () => {
    expect(firstInexactNumber('{"a": [1, -2.5, 1e3], "b": {"c": 0}}')).toBeUndefined();
  });

  it('when digits sit inside strings, then they are text and never reported', () => {
    expect(
      firstInexactNumber('{"id": "9007199254740993", "q": "say \\"12345678901234567890\\""}'),
    ).toBeUndefined();
  });

  it('when a long integer appears, then its literal, line and column are given', () => {
    expect(firstInexactNumber('{\n  "ok": 1,\n  "id": 9007199254740993\n}')).toEqual({
      literal: '9007199254740993',
      line: 3,
      column: 9,
    });
  });
});
