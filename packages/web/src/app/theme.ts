/**
 * Light and dark mode: by default the app follows the system (`prefers-color-scheme`); the user may pin
 * light or dark, remembered in localStorage and applied as `data-theme` on <html> (index.html applies it
 * before the first paint).
 */
import { useSyncExternalStore } from 'react';

/** The user's choice: follow the system, or a fixed theme. */
export type ThemeChoice = 'system' | 'light' | 'dark';

const key = 'meshboard.theme';
const listeners = new Set<() => void>();

/** The stored choice ('system' when none or unreadable). */
export function getTheme(): ThemeChoice {
  try {
    const stored = localStorage.getItem(key);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

/** Applies and remembers a choice. */
export function setTheme(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(key);
    else localStorage.setItem(key, choice);
  } catch {
    // Not remembered, still applied.
  }
  if (choice === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  for (const listener of listeners) listener();
}

/** The choice as React state. */
export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getTheme,
  );
}
