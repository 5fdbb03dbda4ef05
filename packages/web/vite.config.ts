import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * Builds the web app into packages/web/dist, which the server serves at `/`. Routes are loaded lazily,
 * so each page is its own chunk and the initial chunk holds only React, the router, the query cache,
 * the client and the shell. In development (`npm run dev -w @meshboard/web`) /api goes to a local server.
 */
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
    rolldownOptions: {
      treeshake: {
        // @meshboard/model is pure (no side effects by rule, enforced by lint), but its barrel builds zod
        // and ajv schemas at module scope; declaring it side-effect free lets the app ship only the error
        // classes it uses instead of every schema.
        moduleSideEffects: (id: string) => !id.replaceAll('\\', '/').includes('/packages/model/src/'),
      },
    },
  },
  server: {
    proxy: { '/api': process.env.MESHBOARD_API ?? 'http://localhost:8080' },
  },
});
