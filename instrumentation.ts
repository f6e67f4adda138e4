export async function register() {
  // NEXT_RUNTIME is set by Next itself (not a setting): start-up work is for the Node.js server only.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { startServer } = await import("./lib/server/startup");
    await startServer();
  }
}
