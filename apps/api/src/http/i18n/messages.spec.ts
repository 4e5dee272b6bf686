import { NOTIFICATION_KINDS } from '@app/domain';
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

  it('has a title for every kind of notification, in every language', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const kind of NOTIFICATION_KINDS)
        expect({ locale, kind, title: typeof CATALOGUES[locale][`notification.${kind}`] }).toEqual({ locale, kind, title: 'string' });
    }
  });

  it('fills placeholders', () => {
    expect(translate('nl', 'field.minLength', { min: 12 })).toBe('moet minstens 12 tekens lang zijn');
  });
});
