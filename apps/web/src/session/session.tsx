import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, refresh, signIn as signInWithPassword, signOut as endSession, whenSignedOut, type Problem, type Purpose, type Schemas } from '../api/client';
import { browserLanguage, I18nProvider, type Language } from '../i18n/i18n';

export type Me = Schemas['MeDto'];

interface Session {
  state: 'restoring' | 'signed-out' | 'signed-in';
  me: Me | null;
  signIn(email: string, password: string): Promise<Problem | null>;
  signOut(everywhere?: boolean): Promise<void>;
  /** Why the user reads partner data now (X-Purpose): set by the page's context, shown and changeable on screen. */
  purpose: Purpose | null;
  setPurpose(purpose: Purpose | null): void;
  language: Language;
  setLanguage(language: Language): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/** Whether the last sign-out was the user's own (then the sign-in page does not lead back to where they were). */
let signedOutByUser = false;
export const signedOutOnPurpose = () => signedOutByUser;

export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [state, setState] = useState<Session['state']>('restoring');
  const [me, setMe] = useState<Me | null>(null);
  const [purpose, setPurpose] = useState<Purpose | null>(null);
  const [chosen, setChosen] = useState<Language | null>(null);

  const loadMe = useCallback(async () => {
    const { data } = await api.GET('/me');
    setMe(data ?? null);
    setState(data ? 'signed-in' : 'signed-out');
  }, []);

  const signedOut = useCallback(() => {
    setMe(null);
    setPurpose(null);
    setChosen(null); // the next person at this computer gets their own language, not this user's
    setState('signed-out');
    queries.clear(); // nothing of a client stays in memory after signing out
  }, [queries]);

  useEffect(() => {
    whenSignedOut(signedOut);
    refresh()
      .then((ok) => (ok ? loadMe() : setState('signed-out')))
      .catch(() => setState('signed-out'));
  }, [loadMe, signedOut]);

  const language: Language = chosen ?? me?.settings.language ?? browserLanguage();
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const session = useMemo<Session>(
    () => ({
      state,
      me,
      purpose,
      setPurpose,
      language,
      async signIn(email, password) {
        signedOutByUser = false;
        const problem = await signInWithPassword(email, password);
        if (!problem) await loadMe();
        return problem;
      },
      async signOut(everywhere) {
        signedOutByUser = true;
        try {
          await endSession(everywhere);
        } catch (error) {
          signedOutByUser = false;
          throw error;
        }
      },
      async setLanguage(next) {
        setChosen(next);
        if (me) await api.PATCH('/me/settings', { body: { language: next } });
      },
    }),
    [state, me, purpose, language, loadMe],
  );
  return (
    <SessionContext.Provider value={session}>
      <I18nProvider language={language}>{children}</I18nProvider>
    </SessionContext.Provider>
  );
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** X-Purpose for a call, from the purpose on screen; none means "own files only". */
export function purposeHeader(purpose: Purpose | null): { 'X-Purpose'?: Purpose } {
  return purpose ? { 'X-Purpose': purpose } : {};
}
