import { z } from "zod";
import type { PartnerWebhookEndpoint, PrismaClient } from "../../generated/prisma/client";
import { rejectControlCharacters } from "../../validation/ru-banking-schemas";
import { audit, type Actor } from "../audit";
import { PayoutError } from "../errors";
import { PARTNER_EVENT_TYPES } from "../partner-event-types";
import { webhookIdOf } from "./delivery";
import { newSigningSecret, sealSecret } from "./secrets";

/**
 * Partner webhook endpoints: registration, event types, pause/resume, secret rotation, the delivery log
 * and manual resend. Admins do this on the dashboard (/dashboard/partner-webhooks) and partners through
 * `/api/v1/webhook-endpoints`; both edges parse with the schemas below and call these functions.
 */

export interface EndpointSettings {
  /** Encrypts signing secrets (deriveSecretsKey). */
  secretsKey: Buffer;
  /** Whether an http:// URL may be registered (loopback receivers in development and tests); https always may. */
  allowsHttpUrl: (url: URL) => boolean;
  /** How long the previous secret keeps signing after a rotation. */
  secretOverlapMs: number;
}

export const WEBHOOK_URL_MAX = 2000;

const EventTypesSchema = z
  .array(z.enum(PARTNER_EVENT_TYPES))
  .min(1, "pick at least one event type")
  .max(PARTNER_EVENT_TYPES.length)
  .transform((types) => [...new Set(types)]);

const UrlSchema = z
  .string()
  .trim()
  .max(WEBHOOK_URL_MAX)
  .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }));

const DescriptionSchema = z.string().trim().max(200).superRefine(rejectControlCharacters);

export const CreateEndpointSchema = z.strictObject({
  url: UrlSchema,
  event_types: EventTypesSchema,
  description: DescriptionSchema.optional(),
});
export type CreateEndpointInput = z.infer<typeof CreateEndpointSchema>;

export const UpdateEndpointSchema = z
  .strictObject({
    url: UrlSchema.optional(),
    event_types: EventTypesSchema.optional(),
    description: DescriptionSchema.optional(),
    paused: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, "nothing to change");
export type UpdateEndpointInput = z.infer<typeof UpdateEndpointSchema>;

/** The endpoint as both edges show it (never its secret). */
export interface WireEndpoint {
  id: string;
  url: string;
  description: string;
  event_types: string[];
  paused: boolean;
  previous_secret_valid_until: string | null;
  created_at: string;
  updated_at: string;
}

export function serializeEndpoint(endpoint: PartnerWebhookEndpoint, now = new Date()): WireEndpoint {
  const overlap = endpoint.previousSecretUntil && endpoint.previousSecretUntil > now ? endpoint.previousSecretUntil.toISOString() : null;
  return {
    id: endpoint.id,
    url: endpoint.url,
    description: endpoint.description,
    event_types: endpoint.eventTypes,
    paused: endpoint.pausedAt !== null,
    previous_secret_valid_until: overlap,
    created_at: endpoint.createdAt.toISOString(),
    updated_at: endpoint.updatedAt.toISOString(),
  };
}

function checkedUrl(value: string, settings: EndpointSettings): string {
  const url = new URL(value);
  if (url.protocol === "http:" && !settings.allowsHttpUrl(url)) {
    throw new PayoutError("webhook_url_refused", "url: must be an https:// URL", { field: "url", params: { reason: "https_required" } });
  }
  if (url.username || url.password) {
    throw new PayoutError("webhook_url_refused", "url: must not carry credentials", { field: "url", params: { reason: "credentials" } });
  }
  return url.toString();
}

const notFound = () => new PayoutError("webhook_endpoint_not_found", "No such webhook endpoint");

async function existing(prisma: PrismaClient, id: string): Promise<PartnerWebhookEndpoint> {
  if (!z.uuid().safeParse(id).success) throw notFound();
  const endpoint = await prisma.partnerWebhookEndpoint.findUnique({ where: { id } });
  if (!endpoint) throw notFound();
  return endpoint;
}

export async function listEndpoints(prisma: PrismaClient): Promise<WireEndpoint[]> {
  const endpoints = await prisma.partnerWebhookEndpoint.findMany({ orderBy: { createdAt: "asc" } });
  return endpoints.map((endpoint) => serializeEndpoint(endpoint));
}

export async function getEndpoint(prisma: PrismaClient, id: string): Promise<WireEndpoint> {
  return serializeEndpoint(await existing(prisma, id));
}

/** Registers an endpoint; the answer is the only place its signing secret ever appears. */
export async function createEndpoint(
  prisma: PrismaClient,
  settings: EndpointSettings,
  input: CreateEndpointInput,
  actor: Actor,
): Promise<{ endpoint: WireEndpoint; secret: string }> {
  const url = checkedUrl(input.url, settings);
  const secret = newSigningSecret();
  const endpoint = await prisma.$transaction(async (tx) => {
    const created = await tx.partnerWebhookEndpoint.create({
      data: { url, eventTypes: input.event_types, description: input.description ?? "", secretEncrypted: sealSecret(settings.secretsKey, secret) },
    });
    await audit(tx, { actor, action: "partner_webhook.created", data: { endpointId: created.id, url, eventTypes: created.eventTypes } });
    return created;
  });
  return { endpoint: serializeEndpoint(endpoint), secret };
}

export async function updateEndpoint(
  prisma: PrismaClient,
  settings: EndpointSettings,
  id: string,
  patch: UpdateEndpointInput,
  actor: Actor,
): Promise<WireEndpoint> {
  await existing(prisma, id);
  const url = patch.url === undefined ? undefined : checkedUrl(patch.url, settings);
  const updated = await prisma.$transaction(async (tx) => {
    const endpoint = await tx.partnerWebhookEndpoint.update({
      where: { id },
      data: {
        url,
        eventTypes: patch.event_types,
        description: patch.description,
        ...(patch.paused === undefined ? {} : { pausedAt: patch.paused ? new Date() : null }),
      },
    });
    const action = patch.paused === true ? "partner_webhook.paused" : patch.paused === false ? "partner_webhook.resumed" : "partner_webhook.updated";
    await audit(tx, { actor, action, data: { endpointId: id, changed: Object.keys(patch), url: endpoint.url, eventTypes: endpoint.eventTypes } });
    return endpoint;
  });
  return serializeEndpoint(updated);
}

/**
 * A new signing secret; the previous one keeps signing for `secretOverlapMs` (deliveries carry both
 * signatures meanwhile), so the partner can switch their receiver without losing a delivery.
 */
export async function rotateEndpointSecret(
  prisma: PrismaClient,
  settings: EndpointSettings,
  id: string,
  actor: Actor,
): Promise<{ endpoint: WireEndpoint; secret: string }> {
  const current = await existing(prisma, id);
  const secret = newSigningSecret();
  const previousSecretUntil = new Date(Date.now() + settings.secretOverlapMs);
  const endpoint = await prisma.$transaction(async (tx) => {
    const rotated = await tx.partnerWebhookEndpoint.update({
      where: { id },
      data: { secretEncrypted: sealSecret(settings.secretsKey, secret), previousSecretEncrypted: current.secretEncrypted, previousSecretUntil },
    });
    await audit(tx, { actor, action: "partner_webhook.secret_rotated", data: { endpointId: id, previousSecretValidUntil: previousSecretUntil.toISOString() } });
    return rotated;
  });
  return { endpoint: serializeEndpoint(endpoint), secret };
}

export async function deleteEndpoint(prisma: PrismaClient, id: string, actor: Actor): Promise<void> {
  const endpoint = await existing(prisma, id);
  await prisma.$transaction(async (tx) => {
    await tx.partnerWebhookEndpoint.delete({ where: { id } });
    await audit(tx, { actor, action: "partner_webhook.deleted", data: { endpointId: id, url: endpoint.url } });
  });
}

export interface WireDeliveryAttempt {
  attempt: number;
  started_at: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  response_excerpt: string | null;
}

export interface WireDelivery {
  id: string;
  webhook_id: string;
  event_type: string;
  payout_request_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
  created_at: string;
  attempt_log: WireDeliveryAttempt[];
}

export const DELIVERY_LOG_LIMIT = 100;

/** The endpoint's delivery log, newest first, each delivery with its attempts. */
export async function listDeliveries(prisma: PrismaClient, endpointId: string, options: { status?: "pending" | "delivered" | "failed" } = {}): Promise<WireDelivery[]> {
  await existing(prisma, endpointId);
  const deliveries = await prisma.partnerWebhookDelivery.findMany({
    where: { endpointId, status: options.status },
    orderBy: { sequence: "desc" },
    take: DELIVERY_LOG_LIMIT,
    include: { event: { select: { type: true, payoutRequestId: true } }, attemptLog: { orderBy: { attempt: "asc" } } },
  });
  return deliveries.map((delivery) => ({
    id: delivery.id,
    webhook_id: webhookIdOf(delivery.id),
    event_type: delivery.event.type,
    payout_request_id: delivery.event.payoutRequestId,
    status: delivery.status,
    attempts: delivery.attempts,
    next_attempt_at: delivery.status === "pending" ? delivery.nextAttemptAt.toISOString() : null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    delivered_at: delivery.deliveredAt?.toISOString() ?? null,
    created_at: delivery.createdAt.toISOString(),
    attempt_log: delivery.attemptLog.map((attempt) => ({
      attempt: attempt.attempt,
      started_at: attempt.startedAt.toISOString(),
      duration_ms: attempt.durationMs,
      status_code: attempt.statusCode,
      error: attempt.error,
      response_excerpt: attempt.responseExcerpt,
    })),
  }));
}

/**
 * Sends a delivery again now, with the same `webhook-id` (a receiver that already has it can drop it),
 * and a fresh retry window. A delivery in flight is left to finish.
 */
export async function resendDelivery(prisma: PrismaClient, endpointId: string, deliveryId: string, actor: Actor): Promise<void> {
  await existing(prisma, endpointId);
  if (!z.uuid().safeParse(deliveryId).success) throw notFound();
  await prisma.$transaction(async (tx) => {
    const now = new Date();
    const { count } = await tx.partnerWebhookDelivery.updateMany({
      where: { id: deliveryId, endpointId, OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
      data: { status: "pending", nextAttemptAt: now, retryWindowStart: now, leaseUntil: null, deliveredAt: null },
    });
    if (count !== 1) {
      const found = await tx.partnerWebhookDelivery.count({ where: { id: deliveryId, endpointId } });
      if (found === 0) throw notFound();
      throw new PayoutError("invalid_state", "The delivery is being sent right now");
    }
    await audit(tx, { actor, action: "partner_webhook.resent", data: { endpointId, deliveryId, webhookId: webhookIdOf(deliveryId) } });
  });
}
