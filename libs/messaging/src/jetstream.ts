import { AckPolicy, DeliverPolicy, JetStreamManager, NatsConnection, nanos, RetentionPolicy, StorageType } from 'nats';
import { ConsumerDef, nsName, nsSubject, StreamDef } from '@tollgate/contracts';

/** Creates or updates a stream (idempotent; every publisher and consumer calls it at start-up). */
export async function ensureStream(jsm: JetStreamManager, ns: string, def: StreamDef): Promise<string> {
  const name = nsName(ns, def.name);
  const config = {
    name,
    subjects: def.subjects.map((s) => nsSubject(ns, s)),
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(def.duplicateWindowSeconds * 1000),
    max_age: nanos(def.maxAgeSeconds * 1000),
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (e) {
    if ((e as { code?: string }).code !== '404' && !/stream not found/i.test((e as Error).message)) throw e;
    await jsm.streams.add(config);
  }
  return name;
}

/** Creates the durable consumer if missing; replicas of a service share it (work-queue style). */
export async function ensureConsumer(jsm: JetStreamManager, ns: string, def: ConsumerDef): Promise<{ stream: string; durable: string }> {
  const stream = await ensureStream(jsm, ns, def.stream);
  const durable = nsName(ns, def.durable);
  const filters = def.filterSubjects.map((s) => nsSubject(ns, s));
  const config = {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    ack_wait: nanos(def.ackWaitSeconds * 1000),
    max_deliver: def.maxDeliver,
    max_ack_pending: 20_000,
    ...(filters.length === 1 ? { filter_subject: filters[0] } : { filter_subjects: filters }),
  };
  try {
    await jsm.consumers.info(stream, durable);
  } catch {
    await jsm.consumers.add(stream, config);
  }
  return { stream, durable };
}

export async function jetStreamManager(nc: NatsConnection): Promise<JetStreamManager> {
  return nc.jetstreamManager();
}
