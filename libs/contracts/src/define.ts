/**
 * The only place that turns a message name into a subject. Every subject, stream, consumer and
 * queue name is declared with one of these helpers and namespaced at run time with `TOLLGATE_NAMESPACE`,
 * so two deployments (or two test runs) can share one NATS / Redis without crossing.
 */
export type ServiceName = 'gateway' | 'keys' | 'budget' | 'guardrails' | 'jobs' | 'logging';

/** A request/reply message: one subject bound to its request and reply types. */
export interface RpcDef<Req, Rep> {
  readonly kind: 'rpc';
  readonly owner: ServiceName;
  readonly subject: string;
  /** phantom fields: never set, they carry the types */
  readonly __req?: Req;
  readonly __rep?: Rep;
}

/** A durable event published to a JetStream stream. */
export interface EventDef<T> {
  readonly kind: 'event';
  readonly subject: string;
  readonly stream: StreamDef;
  readonly __payload?: T;
}

export interface StreamDef {
  readonly name: string;
  /** subjects relative to the namespace, e.g. `usage.>` */
  readonly subjects: readonly string[];
  /** how long the dedup window keeps a Nats-Msg-Id, in seconds */
  readonly duplicateWindowSeconds: number;
  readonly maxAgeSeconds: number;
}

export interface ConsumerDef {
  readonly stream: StreamDef;
  /** durable name; shared by every replica of the owning service */
  readonly durable: string;
  readonly filterSubjects: readonly string[];
  /** seconds before an unacked message is redelivered */
  readonly ackWaitSeconds: number;
  readonly maxDeliver: number;
}

export type RpcRequest<D> = D extends RpcDef<infer Req, unknown> ? Req : never;
export type RpcReply<D> = D extends RpcDef<unknown, infer Rep> ? Rep : never;
export type EventPayload<D> = D extends EventDef<infer T> ? T : never;

const SUBJECT_PART = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;

export function defineRpc<Req, Rep>(owner: ServiceName, subject: string): RpcDef<Req, Rep> {
  if (!SUBJECT_PART.test(subject)) throw new Error(`invalid rpc subject ${subject}`);
  return Object.freeze({ kind: 'rpc', owner, subject });
}

export function defineStream(def: StreamDef): StreamDef {
  return Object.freeze({ ...def, subjects: Object.freeze([...def.subjects]) });
}

export function defineEvent<T>(stream: StreamDef, subject: string): EventDef<T> {
  if (!SUBJECT_PART.test(subject)) throw new Error(`invalid event subject ${subject}`);
  return Object.freeze({ kind: 'event', stream, subject });
}

export function defineConsumer(def: ConsumerDef): ConsumerDef {
  return Object.freeze({ ...def, filterSubjects: Object.freeze([...def.filterSubjects]) });
}

const NAMESPACE = /^[A-Za-z0-9_-]{1,64}$/;

export function assertNamespace(ns: string): string {
  if (!NAMESPACE.test(ns)) {
    throw new Error(`TOLLGATE_NAMESPACE must match ${NAMESPACE} (got "${ns}")`);
  }
  return ns;
}

/** `ns.subject`: what goes on the wire. */
export function nsSubject(ns: string, subject: string): string {
  return `${ns}.${subject}`;
}

/** Stream and durable names cannot hold dots: `ns_NAME`. */
export function nsName(ns: string, name: string): string {
  return `${ns}_${name}`;
}

/** Redis keys and BullMQ queue prefixes. */
export function nsKey(ns: string, key: string): string {
  return `${ns}:${key}`;
}

/** NATS queue group of a service's replicas. */
export function queueGroup(ns: string, service: ServiceName): string {
  return `${ns}.${service}`;
}

/**
 * A fan-out notice on NATS core: no JetStream, no queue group, so every subscriber (every gateway
 * replica) receives each message. For cache invalidation, where a lost message only costs a TTL.
 */
export interface BroadcastDef<T> {
  readonly kind: 'broadcast';
  readonly subject: string;
  readonly __payload?: T;
}

export type BroadcastPayload<D> = D extends BroadcastDef<infer T> ? T : never;

export function defineBroadcast<T>(subject: string): BroadcastDef<T> {
  if (!SUBJECT_PART.test(subject)) throw new Error(`invalid broadcast subject ${subject}`);
  return Object.freeze({ kind: 'broadcast', subject });
}
