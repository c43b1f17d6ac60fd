/** What scripts/server.ts passes to every loader and action as `context`. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's address as the server saw it (from X-Forwarded-For only with TRUST_PROXY=true). */
    clientIp?: string;
  }
}

export {};
