// Nothing at start: without this file Turbopack (rooted at the repository) would take the portal's
// instrumentation.ts, and the floor would start the portal's background jobs.
export function register(): void {}
