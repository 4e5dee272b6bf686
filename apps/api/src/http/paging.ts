/** Page sizes of every keyset-paged list (OWASP API4: no request can ask for an unbounded list). */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 25;
