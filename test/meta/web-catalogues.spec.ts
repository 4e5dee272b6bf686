import { argumentsOf } from '../../apps/api/src/http/i18n/icu-arguments.js';
import { en } from '../../apps/web/src/i18n/en.js';
import { fr } from '../../apps/web/src/i18n/fr.js';
import { nl } from '../../apps/web/src/i18n/nl.js';

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
});
