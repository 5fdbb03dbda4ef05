/** URL state of the roadmap page; kept out of the page so the router validates it without loading the page. */

/** What the roadmap page carries in its URL: the view (board by default) and the timeline's grouping. */
export interface RoadmapSearch {
  view?: 'timeline';
  by?: 'quarter';
}

/** Reads the URL parameters, dropping anything that is not a valid value (the defaults stay implicit). */
export function roadmapSearch(search: Record<string, unknown>): RoadmapSearch {
  const result: RoadmapSearch = {};
  if (search.view === 'timeline') result.view = 'timeline';
  if (search.by === 'quarter') result.by = 'quarter';
  return result;
}
