import { NOTIFICATION_KINDS } from '@app/domain';
import { argumentsOf } from './icu-arguments.js';
import { CATALOGUES, SUPPORTED_LOCALES, translate } from './messages.js';

describe('message catalogues', () => {
  it('knows Dutch, French and English', () => {
    expect([...SUPPORTED_LOCALES].sort()).toEqual(['en', 'fr', 'nl']);
  });

  it('every language has every message, each valid ICU with the same arguments', () => {
    const keys = Object.keys(CATALOGUES.en).sort();
    expect(keys.length).toBeGreaterThan(200);
    for (const locale of SUPPORTED_LOCALES) {
      const missing = keys.filter((key) => !(key in CATALOGUES[locale]));
      const extra = Object.keys(CATALOGUES[locale]).filter((key) => !(key in CATALOGUES.en));
      expect({ locale, missing, extra }).toEqual({ locale, missing: [], extra: [] });
      for (const key of keys)
        expect({ locale, key, args: argumentsOf(CATALOGUES[locale][key]) }).toEqual({ locale, key, args: argumentsOf(CATALOGUES.en[key]) });
    }
  });

  it('is translated: French and Dutch differ from English (apart from names and codes)', () => {
    for (const locale of ['nl', 'fr'] as const) {
      const same = Object.keys(CATALOGUES.en).filter((key) => CATALOGUES[locale][key] === CATALOGUES.en[key] && /[a-z]{4,} [a-z]{4,}/.test(CATALOGUES.en[key]));
      expect({ locale, same }).toEqual({ locale, same: [] });
    }
  });

  it('has a title for every kind of notification, in every language', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const kind of NOTIFICATION_KINDS)
        expect({ locale, kind, title: typeof CATALOGUES[locale][`notification.${kind}`] }).toEqual({ locale, kind, title: 'string' });
    }
  });

  it('fills arguments, with plurals and Brussels dates', () => {
    expect(translate('nl', 'field.minLength', { min: 12 })).toBe('moet minstens 12 tekens lang zijn');
    expect(translate('fr', 'too-many-requests', { retryAfterSeconds: 1 })).toMatch(/\b1 seconde\b/);
    expect(translate('fr', 'too-many-requests', { retryAfterSeconds: 30 })).toMatch(/\b30 secondes\b/);
    expect(translate('en', 'too-many-requests', { retryAfterSeconds: 1 })).toMatch(/\b1 second\b/);
    // 23:30 UTC on 31 December is already New Year's Day in Brussels
    expect(translate('nl', 'report.ground.consent', { on: new Date('2026-12-31T23:30:00Z') })).toMatch(/1 januari 2027/);
  });

  it('shows a missing argument instead of failing the answer it is part of', () => {
    expect(translate('en', 'field.minLength', {})).toContain('{min}');
  });

  it('answers undefined for an unknown key', () => {
    expect(translate('fr', 'no.such.key')).toBeUndefined();
  });
});
