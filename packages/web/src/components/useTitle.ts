import { useEffect } from 'react';

/** Sets the document title to "<page> · Meshboard" while the page is shown. */
export function useTitle(page: string | undefined): void {
  useEffect(() => {
    document.title = page === undefined || page === '' ? 'Meshboard' : `${page} · Meshboard`;
  }, [page]);
}
