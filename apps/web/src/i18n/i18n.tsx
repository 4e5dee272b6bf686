import { IntlMessageFormat } from 'intl-messageformat';
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { en } from './en';
import { fr } from './fr';
import { nl } from './nl';

export const LANGUAGES = ['nl', 'fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const CATALOGUES: Record<Language, Record<string, string>> = { nl, fr, en };
const LOCALES: Record<Language, string> = { nl: 'nl-BE', fr: 'fr-BE', en: 'en-GB' };
const TIME_ZONE = 'Europe/Brussels';

export type Translate = (key: string, values?: Record<string, unknown>) => string;

/** The browser's first language we speak, else Dutch (the default for Flemish organisations). */
export function browserLanguage(): Language {
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.slice(0, 2).toLowerCase();
    if ((LANGUAGES as readonly string[]).includes(base)) return base as Language;
  }
  return 'nl';
}

const compiled = new Map<string, IntlMessageFormat>();
function format(language: Language, key: string, values?: Record<string, unknown>): string {
  const source = CATALOGUES[language][key] ?? nl[key];
  if (source === undefined) return key;
  const id = `${language}\u0000${key}`;
  let message = compiled.get(id);
  if (!message) {
    message = new IntlMessageFormat(source, LOCALES[language], {
      // merged into intl-messageformat's own named formats: components only (dateStyle beside them is invalid)
      date: { medium: { day: 'numeric', month: 'short', year: 'numeric', timeZone: TIME_ZONE } },
      time: { short: { hour: '2-digit', minute: '2-digit', timeZone: TIME_ZONE } },
    });
    compiled.set(id, message);
  }
  return String(message.format(values as Record<string, string>));
}

const I18nContext = createContext<{ language: Language; t: Translate; locale: string }>({
  language: 'nl',
  t: (key, values) => format('nl', key, values),
  locale: LOCALES.nl,
});

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const t = useCallback<Translate>((key, values) => format(language, key, values), [language]);
  const value = useMemo(() => ({ language, t, locale: LOCALES[language] }), [language, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export const useI18n = () => useContext(I18nContext);

/** A calendar date (YYYY-MM-DD) as the reader writes it, without shifting it through a time zone. */
export function formatDay(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}
