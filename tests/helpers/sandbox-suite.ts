import { afterAll, beforeAll } from "vitest";
import { startSandbox, type SandboxProcess, type StartSandboxOptions } from "./sandbox-process";
import { startWebhookReceiver, type ReceivedWebhook, type WebhookReceiver } from "./webhook-receiver";

export interface SandboxSuite {
  sandbox: SandboxProcess;
  receiver: WebhookReceiver;
}

/**
 * One real sandbox process per test file, delivering its webhooks to a real receiver: started before the
 * file's tests, stopped after them. `onStart` hands both to the file's module-level variables.
 *
 *   let sandbox: SandboxProcess;
 *   let receiver: WebhookReceiver;
 *   withSandboxSuite((suite) => ({ sandbox, receiver } = suite));
 */
export function withSandboxSuite(onStart: (suite: SandboxSuite) => void, options: Omit<StartSandboxOptions, "webhookUrl"> = {}): void {
  let suite: Partial<SandboxSuite> = {};
  beforeAll(async () => {
    const receiver = await startWebhookReceiver();
    suite = { receiver };
    suite.sandbox = await startSandbox({ ...options, webhookUrl: receiver.url });
    onStart(suite as SandboxSuite);
  });
  afterAll(async () => {
    await suite.sandbox?.stop();
    await suite.receiver?.close();
  });
}

/** The first delivery of webhook `type` for session `sessionId`, already received or still to come. */
export function sessionWebhook(receiver: WebhookReceiver, type: string, sessionId: string): Promise<ReceivedWebhook> {
  return receiver.waitForMatch((w) => w.json?.type === type && w.json?.session?.id === sessionId);
}
