// Ports apart from the demo's (3000/4131) so tests can run while the demo is up; overridable so
// two test runs on one machine do not collide.
const portalPort = Number(process.env.E2E_PORTAL_PORT ?? 3100);
const sandboxPort = Number(process.env.E2E_SANDBOX_PORT ?? 4231);

export const E2E_PORTAL_URL = `http://127.0.0.1:${portalPort}`;
export const E2E_SANDBOX_URL = `http://127.0.0.1:${sandboxPort}`;
