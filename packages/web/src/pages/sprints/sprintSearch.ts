/** The sprint page's tab in the URL (?view=board), so every tab can be linked to and reloaded. */
export interface SprintSearch {
  view?: 'board' | 'burndown' | 'retro';
}

const views = new Set(['board', 'burndown', 'retro']);

/** Reads the search parameters; unknown views fall back to the planning tab. */
export function sprintSearch(search: Record<string, unknown>): SprintSearch {
  return typeof search.view === 'string' && views.has(search.view) ? { view: search.view as SprintSearch['view'] } : {};
}
