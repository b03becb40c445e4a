/**
 * Outbound messages (email, SMS, WhatsApp) leave through this job, so a slow or failing provider
 * neither delays nor fails the mutation that asked for them, and sending is retried.
 * A system job: messages belong to people, not to one organization (password reset, sign-up).
 */
import { defineJob, enqueueJob, type EnqueuedJob } from '../../core/jobs';
import type { RequestContext } from '../../core/context/request-context';
import type { OutboundMessage } from '../../core/messaging/outbound';

export type SendMessagePayload = OutboundMessage & { idempotencyKey: string };

const maskRecipient = (to: string) => to.replace(/^(.)[^@]*(@.*)?$/, (_m, first: string, domain?: string) => `${first}***${domain ?? ''}`);

export const sendMessageJob = defineJob<SendMessagePayload>({
  name: 'send-message',
  system: true,
  attempts: 5,
  backoff: { delayMs: 5_000 },
  summarize: (m) => ({ channel: m.channel, template: m.template, to: maskRecipient(m.to) }),
  async run(ctx, message) {
    // The provider deduplicates on the key (recorded row id, SMTP Message-ID), so a retry after a
    // send whose acknowledgement was lost does not record the message twice.
    await ctx.app.messenger.send(message);
    return { channel: message.channel, template: message.template };
  },
});

/**
 * Sends `message` once the caller's transaction commits. `key` names this message (e.g. the
 * token or invitation it carries): the same key is sent once.
 */
export function queueMessage(ctx: RequestContext, message: OutboundMessage, key: string): EnqueuedJob {
  const idempotencyKey = `${message.template}:${key}`;
  return enqueueJob(ctx, sendMessageJob, { ...message, idempotencyKey }, { key: idempotencyKey });
}
