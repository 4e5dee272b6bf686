import { useEffect } from 'react';

/** The document title names the page first, so screen-reader users and tabs know where they are. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Casework`;
  }, [title]);
}
