import { checkInsz, formatInsz, inszFor, normaliseInsz, parseInsz } from './insz.js';

describe('INSZ national register number', () => {
  it('accepts the printed and the plain form and reads the birth date', () => {
    const digits = inszFor('1985-07-30', 33);
    expect(digits).toHaveLength(11);
    expect(97 - (Number(digits.slice(0, 9)) % 97)).toBe(Number(digits.slice(9)));
    for (const form of [digits, formatInsz(digits), ` ${formatInsz(digits).replace(/[.-]/g, ' ')} `]) {
      expect(checkInsz(form)).toBeUndefined();
      expect(normaliseInsz(form)).toBe(digits);
    }
    expect(parseInsz(digits)).toMatchObject({ birthDate: '1985-07-30', century: 1900, bis: false });
  });

  it('uses the 2-prefix rule for births from 2000, which also fixes the century', () => {
    const digits = inszFor('2003-02-14', 101);
    // the plain nine-digit rule must not match, or the century would be ambiguous
    expect(97 - (Number(digits.slice(0, 9)) % 97)).not.toBe(Number(digits.slice(9)));
    expect(97 - (Number(`2${digits.slice(0, 9)}`) % 97)).toBe(Number(digits.slice(9)));
    expect(parseInsz(digits)).toMatchObject({ birthDate: '2003-02-14', century: 2000 });
  });

  it('reads bis numbers (month + 20 or + 40) and unknown dates', () => {
    const withCheck = (base: string) => `${base}${String(97 - (Number(base) % 97)).padStart(2, '0')}`;
    expect(parseInsz(withCheck('852730033'))).toMatchObject({ bis: true, birthDate: '1985-07-30' });
    expect(parseInsz(withCheck('854730033'))).toMatchObject({ bis: true, birthDate: '1985-07-30' });
    const unknown = withCheck('850700012');
    expect(parseInsz(unknown)).toMatchObject({ bis: false });
    expect((parseInsz(unknown) as { birthDate?: string }).birthDate).toBeUndefined();
  });

  it('tells a format problem from a checksum problem', () => {
    expect(checkInsz('8507300332')).toBe('format'); // 10 digits
    expect(checkInsz('85.07.30-033.2a')).toBe('format');
    const month13 = '851301001';
    expect(checkInsz(`${month13}${String(97 - (Number(month13) % 97)).padStart(2, '0')}`)).toBe('format');
    const valid = inszFor('1985-07-30', 33);
    const wrong = valid.slice(0, 9) + String(((Number(valid.slice(9)) + 1) % 97) + 1).padStart(2, '0');
    expect(checkInsz(wrong)).toBe('checksum');
  });

  it('refuses impossible calendar dates even with correct check digits', () => {
    const base = '850230001'; // 30 February
    const digits = `${base}${String(97 - (Number(base) % 97)).padStart(2, '0')}`;
    expect(checkInsz(digits)).toBe('format');
  });
});
