/** @packageDocumentation Public entry point of @meshboard/web: the pure helpers other code and tests use. The app itself starts in main.tsx. */
export { searchFilters, type SearchFilters } from './pages/searchFilters';
export { safeRedirect } from './pages/SignInPage';
export { shouldRetry } from './app/queryClient';
export { roleLabel } from './app/roleLabel';
export { teamCount } from './pages/HomePage';
