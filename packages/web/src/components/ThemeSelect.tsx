import { setTheme, useTheme, type ThemeChoice } from '../app/theme';

/** The theme switch in the header: follow the system, light, or dark. */
export function ThemeSelect() {
  const theme = useTheme();
  return (
    <label className="theme-select">
      <span className="visually-hidden">Theme</span>
      <select value={theme} onChange={(event) => setTheme(event.target.value as ThemeChoice)} aria-label="Theme">
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
