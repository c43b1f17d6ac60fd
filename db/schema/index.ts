export * from "./catalog";
export * from "./documents";
