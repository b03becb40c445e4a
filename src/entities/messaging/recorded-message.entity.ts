import { Entity, Enum, Property } from '@mikro-orm/core';
import { BaseEntity } from '../../core/orm/base-entities';

export enum MessageChannel {
  EMAIL = 'email',
  SMS = 'sms',
  WHATSAPP = 'whatsapp',
}

/**
 * An outbound message kept by the recording provider (the default when no SMTP or SMS provider
 * is configured), so that tests and the demo can read what would have been sent.
 */
@Entity({ tableName: 'messaging_recorded_message' })
export class RecordedMessage extends BaseEntity {
  @Enum({ items: () => MessageChannel, nativeEnumName: 'message_channel' })
  channel!: MessageChannel;

  @Property({ type: 'text', index: true })
  recipient!: string;

  @Property({ type: 'text', nullable: true })
  subject?: string | null;

  @Property({ type: 'text' })
  body!: string;

  /** Template name, e.g. `password_reset`; and the values it was rendered with (links, tokens). */
  @Property({ type: 'text' })
  template!: string;

  @Property({ type: 'jsonb' })
  data: Record<string, unknown> = {};
}
