export * from "./catalog";
export * from "./documents";
export * from "./auth";
