import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The gateway serves the built console at /console (apps/gateway/src/staff-console).
export default defineConfig({
  base: '/console/',
  plugins: [react()],
  build: { outDir: '../../dist/apps/staff-console', emptyOutDir: true, sourcemap: true },
});
