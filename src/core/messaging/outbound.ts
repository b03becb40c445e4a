/**
 * Outbound messages (email, SMS, WhatsApp) behind one provider interface. Email goes through
 * nodemailer over SMTP when SMTP_URL is set; otherwise, and for SMS/WhatsApp until a provider is
 * configured, a recording provider keeps each message in `messaging_recorded_message` (and logs
 * it at info level, silent in tests) so the demo and the tests can read what would have been sent.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import type { MikroORM } from '@mikro-orm/postgresql';
import { v5 as uuidv5, v7 as uuidv7 } from 'uuid';

const MESSAGE_NAMESPACE = '0b8e5b8e-3a0c-4c69-8f0e-5f0f6f3d2a11';

export type Channel = 'email' | 'sms' | 'whatsapp';

export interface OutboundMessage {
  channel: Channel;
  to: string;
  subject?: string;
  text: string;
  template: string;
  data?: Record<string, unknown>;
  /** Names this message: sending it again with the same key does not deliver it twice where the provider can tell. */
  idempotencyKey?: string;
}

export interface MessageProvider {
  send(message: OutboundMessage): Promise<void>;
}

export type MessageLog = (fields: Record<string, unknown>, line: string) => void;

export class RecordingProvider implements MessageProvider {
  constructor(
    private readonly orm: MikroORM,
    private readonly log: MessageLog,
  ) {}

  async send(m: OutboundMessage): Promise<void> {
    const now = new Date();
    await this.orm.em
      .fork({ useContext: false })
      .getConnection()
      .execute(
        `insert into messaging_recorded_message (id, created_at, updated_at, channel, recipient, subject, body, template, data)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
         on conflict (id) do nothing`,
        [m.idempotencyKey ? uuidv5(m.idempotencyKey, MESSAGE_NAMESPACE) : uuidv7(), now, now, m.channel, m.to, m.subject ?? null, m.text, m.template, JSON.stringify(m.data ?? {})],
      );
    this.log({ channel: m.channel, to: m.to, template: m.template }, `[${m.channel} recorded] ${m.subject ?? m.template}\n${m.text}`);
  }
}

export class SmtpEmailProvider implements MessageProvider {
  private readonly transport: Transporter;
  constructor(smtpUrl: string, private readonly from: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }
  async send(m: OutboundMessage): Promise<void> {
    // A stable Message-ID lets mail systems drop a resent duplicate.
    const messageId = m.idempotencyKey ? `<${uuidv5(m.idempotencyKey, MESSAGE_NAMESPACE)}@tessera>` : undefined;
    await this.transport.sendMail({ from: this.from, to: m.to, subject: m.subject, text: m.text, messageId });
  }
}

export class Messenger {
  constructor(private readonly providers: Record<Channel, MessageProvider>) {}
  send(message: OutboundMessage): Promise<void> {
    return this.providers[message.channel].send(message);
  }
}

export function createMessenger(orm: MikroORM, opts: { smtpUrl?: string; mailFrom: string; log: MessageLog }): Messenger {
  const recording = new RecordingProvider(orm, opts.log);
  return new Messenger({
    email: opts.smtpUrl ? new SmtpEmailProvider(opts.smtpUrl, opts.mailFrom) : recording,
    sms: recording,
    whatsapp: recording,
  });
}
