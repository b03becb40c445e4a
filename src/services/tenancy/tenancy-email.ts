/**
 * The one way the tenancy domain sends email: after the request's transaction commits, so a
 * rolled-back operation sends nothing. (Moving sending onto a job queue changes this line only.)
 */
import type { RequestContext } from '../../core/context/request-context';
import type { OutboundMessage } from '../../core/messaging/outbound';

export function sendTenancyEmail(ctx: RequestContext, message: Omit<OutboundMessage, 'channel'>): void {
  ctx.db.afterCommit(() => ctx.app.messenger.send({ channel: 'email', ...message }));
}
