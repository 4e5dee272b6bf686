import { checkKbo, formatKbo, kboFromBase, normaliseKbo } from './kbo.js';

describe('KBO enterprise number', () => {
  it('accepts the printed and plain forms and a BE prefix', () => {
    const valid = kboFromBase('02123456'); // check digits computed by mod 97
    const printed = formatKbo(valid);
    expect(printed).toMatch(/^\d{4}\.\d{3}\.\d{3}$/);
    for (const form of [valid, printed, `BE${valid}`, `BE ${printed}`, ` ${printed.replace(/\./g, ' ')} `]) {
      expect(checkKbo(form)).toBeUndefined();
      expect(normaliseKbo(form)).toBe(valid);
    }
  });

  it('computes check digits as 97 - (first eight mod 97)', () => {
    expect(kboFromBase('04036962')).toBe(`04036962${97 - (4036962 % 97)}`);
  });

  it('tells a format problem from a checksum problem', () => {
    expect(checkKbo('12345')).toBe('format');
    expect(checkKbo('2123456789')).toBe('format'); // must start with 0 or 1
    expect(checkKbo('0123.456.78a')).toBe('format');
    const valid = kboFromBase('09990001');
    const wrongCheck = valid.slice(0, 8) + String((Number(valid.slice(8)) % 97) + 1).padStart(2, '0');
    expect(checkKbo(wrongCheck)).toBe('checksum');
  });
});
