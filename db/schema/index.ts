export * from "./catalog";
export * from "./documents";
export * from "./auth";
export * from "./continuity";
export * from "./incidents";
