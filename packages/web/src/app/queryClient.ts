/** The query cache: short staleness, and no retries for answers that will not change (4xx). */
import { ApiError } from '@meshboard/client';
import { QueryClient } from '@tanstack/react-query';

/** Whether a failed query is worth one more try: only network failures and 5xx answers are. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return failureCount < 2 && error instanceof ApiError && (error.status === 0 || error.status >= 500);
}

/** Builds the app's QueryClient. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 30_000, retry: shouldRetry, refetchOnWindowFocus: false },
      mutations: { retry: false },
    },
  });
}
