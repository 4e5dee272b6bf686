import { CATALOGUES, SUPPORTED_LOCALES, translate } from './messages.js';

describe('message catalogues', () => {
  it('every language has every message, with the same placeholders', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const keys = Object.keys(CATALOGUES.en).sort();
    for (const locale of SUPPORTED_LOCALES) {
      expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(keys);
      for (const key of keys) expect({ locale, key, p: placeholders(CATALOGUES[locale][key]) }).toEqual({ locale, key, p: placeholders(CATALOGUES.en[key]) });
    }
  });

  it('fills placeholders', () => {
    expect(translate('nl', 'field.minLength', { min: 12 })).toBe('moet minstens 12 tekens lang zijn');
  });
});
