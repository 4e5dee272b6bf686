import { useQuery } from '@tanstack/react-query';
import { useSession } from '../session/session';
import { api } from './client';

/** Every organisation of the platform (the directory a user may read): names for ids, receivers for a handover. */
export function useOrganisations() {
  return useQuery({
    queryKey: ['organisations'],
    queryFn: async () => (await api.GET('/organisations')).data ?? [],
    staleTime: 10 * 60_000,
  });
}

export function useOrganisationName(): (id: string | null | undefined) => string {
  const organisations = useOrganisations();
  return (id) => organisations.data?.find((o) => o.id === id)?.name ?? id ?? '';
}

/** The other organisations of the platform a client's data can go to (not the caller's own, not the platform's). */
export function usePartners() {
  const { me } = useSession();
  const organisations = useOrganisations();
  return (organisations.data ?? []).filter((o) => o.id !== me?.organisation.id && o.kind !== 'PLATFORM');
}
