import { useQuery } from '@tanstack/react-query';
import { api } from '../api/client';
import type { Translate } from '../i18n/i18n';
import { useSession } from '../session/session';

/** The actions a privacy officer most often looks for, in the order of the search form's list. */
export const COMMON_ACTIONS = [
  'client.read',
  'client.update',
  'client.register',
  'client.lookup',
  'client.list',
  'break-glass.request',
  'consent.record',
  'consent.revoke',
  'involvement.add',
  'note.read',
  'trajectory.read',
  'referral.create',
  'auth.sign-in',
  'auth.sign-in-failed',
] as const;

/** An action in words when the catalogue has it, else its code (rare, technical actions). */
export function actionText(t: Translate, action: string): string {
  const key = `audit.action.${action}`;
  const text = t(key);
  return text === key ? action : text;
}

/** A role list in words: "maatschappelijk assistent, teamverantwoordelijke". */
export function rolesText(t: Translate, roles: readonly string[] | null | undefined): string {
  return (roles ?? []).map((role) => t(`role.${role}`)).join(', ');
}

/** A date-time from the API, as day and time in Brussels. */
export function timeText(t: Translate, at: string | Date): string {
  return t('audit.at', { at: new Date(at) });
}

/** The staff of the officer's own organisation (names for ids, the actor filter); the API refuses others. */
export function useOwnStaff() {
  const { me } = useSession();
  const organisation = me?.organisation.id ?? '';
  return useQuery({
    queryKey: ['own-staff', organisation],
    enabled: Boolean(organisation),
    staleTime: 10 * 60_000,
    queryFn: async () => {
      const { data, error } = await api.GET('/organisations/{id}/users', { params: { path: { id: organisation } } });
      if (error) throw error;
      return data;
    },
  });
}

/** A calendar day typed in a date field (YYYY-MM-DD) as the instant it starts here; `after`: the next day's start (an exclusive end). */
export function dayStart(day: string, after = false): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + (after ? 1 : 0)).toISOString();
}
