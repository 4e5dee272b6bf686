import { useQuery } from '@tanstack/react-query';
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
