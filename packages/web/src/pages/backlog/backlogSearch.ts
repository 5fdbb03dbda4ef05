/** URL state of the backlog page; kept out of the page so the router validates it without loading the page. */
import { backlogKinds, backlogStates, type BacklogKind, type BacklogState } from '@meshboard/model';

/** The backlog page's tabs. */
export const backlogViews = ['items', 'ranking', 'settings'] as const;

/** What the backlog page carries in its URL: the tab, list filters and the open item. */
export interface BacklogSearch {
  view?: (typeof backlogViews)[number];
  /** Named apart from other routes' `state`/`kind` parameters, which have other types. */
  itemState?: BacklogState;
  itemKind?: BacklogKind;
  label?: string;
  item?: string;
}

/** Reads the URL parameters, dropping anything that is not a valid value. */
export function backlogSearch(search: Record<string, unknown>): BacklogSearch {
  const text = (name: string): string | undefined => (typeof search[name] === 'string' && search[name] !== '' ? (search[name] as string) : undefined);
  const result: BacklogSearch = {};
  const view = backlogViews.find((value) => value === text('view'));
  if (view !== undefined && view !== 'items') result.view = view;
  const state = backlogStates.find((value) => value === text('itemState'));
  if (state !== undefined) result.itemState = state;
  const kind = backlogKinds.find((value) => value === text('itemKind'));
  if (kind !== undefined) result.itemKind = kind;
  const label = text('label');
  if (label !== undefined) result.label = label;
  const item = text('item');
  if (item !== undefined) result.item = item;
  return result;
}
