import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { argumentsOf } from '../../apps/api/src/http/i18n/icu-arguments.js';
import { en } from '../../apps/web/src/i18n/en.js';
import { fr } from '../../apps/web/src/i18n/fr.js';
import { nl } from '../../apps/web/src/i18n/nl.js';
import { indicatorKeys } from '../../libs/domain/src/indicators/indicator-catalogue.js';

/** The web workspace speaks Dutch, French and English from catalogues shaped as the API's: every key in each, valid ICU, the same arguments. */
describe("the web workspace's catalogues", () => {
  it('have every key in every language, with the same ICU arguments', () => {
    const keys = Object.keys(nl).sort();
    expect(keys.length).toBeGreaterThan(50);
    for (const [language, catalogue] of Object.entries({ fr, en })) {
      expect({ language, keys: Object.keys(catalogue).sort() }).toEqual({ language, keys });
      for (const key of keys) expect({ language, key, args: argumentsOf(catalogue[key]) }).toEqual({ language, key, args: argumentsOf(nl[key]) });
    }
  });

  it('have every key the screens ask for by name (a missing one would show the key itself)', () => {
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.tsx') ? [join(dir, e.name)] : [],
      );
    const asked = new Set<string>();
    for (const file of files('apps/web/src'))
      for (const [, key] of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z]+(?:\.[a-zA-Z0-9_]+)+)'/g)) asked.add(key);
    expect(asked.size).toBeGreaterThan(100);
    expect([...asked].filter((key) => !(key in nl))).toEqual([]);
  });

  it('name every indicator the API answers (the dashboard labels them by key)', () => {
    expect(indicatorKeys(false).filter((key) => !(`indicator.${key}` in nl))).toEqual([]);
  });
});
