import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The web workspace, built into dist/web and served by the API from the same origin under /app/
 * (apps/api/src/app.factory.ts). No inline scripts: the Content-Security-Policy allows scripts from
 * 'self' only. JSX is compiled by Vite's own transformer (React's automatic runtime).
 */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/app/',
  build: {
    outDir: fileURLToPath(new URL('../../dist/web', import.meta.url)),
    emptyOutDir: true,
    // Inlined assets would be data: URLs; the policy allows them for images only
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
    rolldownOptions: {
      // Mantine marks its modules "use client" for React Server Components; a browser bundle has no use for it
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    // `npm run dev:web`: the API (npm start) answers the API's paths
    proxy: Object.fromEntries(
      [
        '/auth',
        '/me',
        '/clients',
        '/handovers',
        '/trajectories',
        '/notifications',
        '/organisations',
        '/audit',
        '/agreements',
        '/documents',
        '/consents',
        '/involvements',
        '/users',
        '/docs',
        '/health',
      ].map((path) => [path, 'http://127.0.0.1:3000']),
    ),
  },
});
