import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import path from "node:path";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  resolve: {
    alias: { "~": path.resolve(__dirname, "app"), "#db": path.resolve(__dirname, "db") },
  },
  optimizeDeps: {
    // Native Node addons: never pre-bundled for the browser (they are only used on the server).
    exclude: ["@node-rs/jieba", "@node-rs/argon2", "@electric-sql/pglite"],
  },
  ssr: {
    // Native and Node-only packages stay external to the server bundle.
    external: ["@node-rs/jieba", "@electric-sql/pglite", "postgres", "proper-lockfile", "@node-rs/argon2"],
  },
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
  ],
});
