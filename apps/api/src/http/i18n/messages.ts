import { LANGUAGES, type Language } from '@app/kernel';
import { IntlMessageFormat } from 'intl-messageformat';
import { en } from './catalogues/en.js';
import { fr } from './catalogues/fr.js';
import { nl } from './catalogues/nl.js';

/**
 * Every message the API returns, per language, in ICU MessageFormat (intl-messageformat, FormatJS):
 * `{name}` arguments, `{count, plural, one {...} other {...}}`, and dates as `{on, date, brussels}`
 * (a calendar day as a Belgian reads it) or times as `{at, time, brussels}`. Keys are problem codes
 * (titles), `field.` field-level codes, `notification.` titles and `report.` labels. A language is a
 * file in ./catalogues; the catalogue test fails when a key or an argument misses in one of them.
 */
export const SUPPORTED_LOCALES = LANGUAGES;
export type Locale = Language;
/** When neither the user, the request nor the organisation says otherwise: the platform is Flemish. */
export const DEFAULT_LOCALE: Locale = 'nl';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

export const CATALOGUES: Record<Locale, Readonly<Record<string, string>>> = { nl, fr, en };

/** Dates and times in messages are Brussels dates and times, whatever the server's zone. */
const FORMATS = {
  date: { brussels: { timeZone: 'Europe/Brussels', day: 'numeric', month: 'long', year: 'numeric' } },
  time: { brussels: { timeZone: 'Europe/Brussels', hour: '2-digit', minute: '2-digit' } },
} as const;

const compiled = new Map<string, IntlMessageFormat>();

function compile(locale: Locale, key: string): IntlMessageFormat | undefined {
  const id = `${locale}\u0000${key}`;
  let format = compiled.get(id);
  if (!format) {
    const source = CATALOGUES[locale][key];
    if (source === undefined) return undefined;
    format = new IntlMessageFormat(source, locale === 'nl' ? 'nl-BE' : locale === 'fr' ? 'fr-BE' : 'en-GB', FORMATS);
    compiled.set(id, format);
  }
  return format;
}

/**
 * The message `key` in `locale` (English when a language lacks it, which the catalogue test forbids),
 * with its arguments filled in; undefined for an unknown key. A missing argument is shown as `{name}`
 * rather than failing the response it belongs to.
 */
export function translate(locale: Locale, key: string, params: Record<string, unknown> = {}): string | undefined {
  const format = compile(locale, key) ?? compile('en', key);
  if (!format) return undefined;
  try {
    return String(format.format(params as Record<string, string | number | Date>));
  } catch {
    return CATALOGUES[locale][key] ?? CATALOGUES.en[key];
  }
}
